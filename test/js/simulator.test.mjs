// The real AWS SDK for JavaScript judges the simulator's wire protocol: SigV4, REST-JSON errors,
// event-stream framing (with Bedrock's "p" padding), and the scripted models' exact usage numbers.
//
// Runs the built simulator: SIMULATOR_DLL, or by default
// src/BedrockSimulator/bin/Debug/net10.0/BedrockSimulator.dll (build it first:
// `dotnet build src/BedrockSimulator`). Most tests use HTTP/1.1 through NodeHttpHandler on the main port;
// the SDK's default handler speaks HTTP/2, which the simulator serves (h2c, prior knowledge) on a second
// port started with --http2-port, and one test checks that default path too.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { existsSync } from "node:fs";
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ModelStreamErrorException,
  ThrottlingException,
  ValidationException,
} from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dll = process.env.SIMULATOR_DLL ??
  path.join(repoRoot, "src/BedrockSimulator/bin/Debug/net10.0/BedrockSimulator.dll");

const GOOD = { accessKeyId: "AKIDSIMULATOR", secretAccessKey: "simulator-secret" };
const BEARER = "sim-bedrock-api-key";
const NOVA = "amazon.nova-lite-v1:0";
const CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";

let child;
let endpoint;
let http2Endpoint;

before(async () => {
  assert.ok(existsSync(dll), `no simulator at ${dll}: run \`dotnet build src/BedrockSimulator\` or set SIMULATOR_DLL`);
  child = spawn("dotnet", [dll, "--port", "0", "--http2-port", "0", "--chunk-delay-ms", "5", "--bearer-token", BEARER],
    { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  [endpoint, http2Endpoint] = await new Promise((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error("simulator did not print its URLs within 30 s")), 30_000);
    child.once("exit", (code) => reject(new Error(`simulator exited early with ${code}`)));
    const urls = [];
    lines.on("line", (line) => {
      urls.push(line.trim());
      if (urls.length === 2) {
        clearTimeout(guard);
        resolve(urls);
      }
    });
  });
  assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(http2Endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
});

after(() => {
  child?.kill("SIGTERM");
});

function client(credentials = GOOD, extra = {}) {
  return new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint,
    credentials,
    requestHandler: new NodeHttpHandler(),
    ...extra,
  });
}

/** Adds simulator control headers to one command (before signing, so they are signed too). */
function withHeaders(command, headers) {
  command.middlewareStack.add(
    (next) => async (args) => {
      Object.assign(args.request.headers, headers);
      return next(args);
    },
    { step: "build", name: "simulatorHeaders" },
  );
  return command;
}

function userText(text) {
  return [{ role: "user", content: [{ text }] }];
}

async function requestCount(key) {
  const response = await fetch(`${endpoint}/_simulator/requests`);
  const body = await response.json();
  return body.byKey[key] ?? 0;
}

const topSongTool = {
  tools: [{
    toolSpec: {
      name: "top_song",
      description: "Get the most popular song played on a radio station.",
      inputSchema: { json: { type: "object", properties: { sign: { type: "string" } }, required: ["sign"] } },
    },
  }],
};

async function collect(stream) {
  const events = [];
  for await (const event of stream) {
    events.push(event);
  }
  return events;
}

test("Converse_Echo_ReturnsTextAndExactUsage", async () => {
  const out = await client().send(new ConverseCommand({ modelId: NOVA, messages: userText("Hello simulator world") }));
  assert.equal(out.output.message.role, "assistant");
  assert.deepEqual(out.output.message.content, [{ text: "Echo: Hello simulator world" }]);
  assert.equal(out.stopReason, "end_turn");
  // input: 3 words + 3; output: "Echo: Hello simulator world" = 4 words.
  assert.deepEqual(out.usage, { inputTokens: 6, outputTokens: 4, totalTokens: 10 });
  assert.equal(typeof out.metrics.latencyMs, "number");
});

test("ConverseStream_SdkDefaultHttp2Handler_WorksOverH2c", async () => {
  // No requestHandler: the SDK's own default (NodeHttp2Handler) against the h2c port.
  const h2 = new BedrockRuntimeClient({ region: "us-east-1", endpoint: http2Endpoint, credentials: GOOD });
  try {
    const unary = await h2.send(new ConverseCommand({ modelId: NOVA, messages: userText("over h2") }));
    assert.equal(unary.output.message.content[0].text, "Echo: over h2");
    const events = await collect((await h2.send(new ConverseStreamCommand({ modelId: NOVA, messages: userText("over h2") }))).stream);
    const text = events.filter((e) => e.contentBlockDelta).map((e) => e.contentBlockDelta.delta.text).join("");
    assert.equal(text, "Echo: over h2");
    assert.deepEqual(events.at(-1).metadata.usage, { inputTokens: 5, outputTokens: 3, totalTokens: 8 });
  } finally {
    h2.destroy();
  }
});

test("Converse_InferenceProfileArn_SignatureWithEncodedSlashAndColonVerifies", async () => {
  const arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0";
  const out = await client().send(new ConverseCommand({ modelId: arn, messages: userText("via profile") }));
  assert.equal(out.output.message.content[0].text, "Echo: via profile");
});

test("ConverseStream_Echo_StreamsFiveDeltasThenStopAndMetadata", async () => {
  const out = await client().send(new ConverseStreamCommand({ modelId: NOVA, messages: userText("stream me please") }));
  const events = await collect(out.stream);
  const kinds = events.map((e) => Object.keys(e)[0]);
  assert.deepEqual(kinds, ["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta",
    "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]);
  assert.equal(events[0].messageStart.role, "assistant");
  const text = events.filter((e) => e.contentBlockDelta).map((e) => e.contentBlockDelta.delta.text).join("");
  assert.equal(text, "Echo: stream me please");
  assert.equal(events.at(-2).messageStop.stopReason, "end_turn");
  assert.deepEqual(events.at(-1).metadata.usage, { inputTokens: 6, outputTokens: 4, totalTokens: 10 });
});

test("ConverseStream_ChunksHeader_SplitsIntoRequestedDeltas", async () => {
  const command = withHeaders(new ConverseStreamCommand({ modelId: NOVA, messages: userText("abc") }),
    { "x-simulator-chunks": "2", "x-simulator-chunk-delay-ms": "0" });
  const events = await collect((await client().send(command)).stream);
  const deltas = events.filter((e) => e.contentBlockDelta).map((e) => e.contentBlockDelta.delta.text);
  // "Echo: abc" is 9 characters: pieces of 4 and 5.
  assert.deepEqual(deltas, ["Echo", ": abc"]);
});

test("ConverseStream_TopSongToolFlow_TwoRoundsEndWithAnswer", async () => {
  const question = "What is the most popular song on WZPZ?";
  const first = await collect((await client().send(new ConverseStreamCommand({
    modelId: CLAUDE, messages: userText(question), toolConfig: topSongTool,
  }))).stream);

  const start = first.find((e) => e.contentBlockStart);
  assert.deepEqual(start.contentBlockStart, {
    contentBlockIndex: 1, start: { toolUse: { toolUseId: "tooluse_sim_1", name: "top_song" } },
  });
  const fragments = first.filter((e) => e.contentBlockDelta?.delta.toolUse).map((e) => e.contentBlockDelta.delta.toolUse.input);
  assert.ok(fragments.length >= 3, `tool input arrives in fragments, got ${fragments.length}`);
  const input = JSON.parse(fragments.join(""));
  assert.deepEqual(input, { sign: "WZPZ" });
  const preamble = first.filter((e) => e.contentBlockDelta?.delta.text).map((e) => e.contentBlockDelta.delta.text).join("");
  assert.equal(preamble, "Let me call top_song.");
  assert.equal(first.find((e) => e.messageStop).messageStop.stopReason, "tool_use");
  // input: 8 words + 3; output: 4 words of text + 10 for the tool call.
  assert.deepEqual(first.at(-1).metadata.usage, { inputTokens: 11, outputTokens: 14, totalTokens: 25 });

  const second = await collect((await client().send(new ConverseStreamCommand({
    modelId: CLAUDE,
    toolConfig: topSongTool,
    messages: [
      ...userText(question),
      { role: "assistant", content: [{ text: preamble }, { toolUse: { toolUseId: "tooluse_sim_1", name: "top_song", input } }] },
      { role: "user", content: [{ toolResult: { toolUseId: "tooluse_sim_1",
        content: [{ json: { song: "Elemental Hotel", artist: "8 Storey Hike" } }] } }] },
    ],
  }))).stream);
  const answer = second.filter((e) => e.contentBlockDelta).map((e) => e.contentBlockDelta.delta.text).join("");
  assert.equal(answer, "The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.");
  assert.equal(second.find((e) => e.messageStop).messageStop.stopReason, "end_turn");
  // input: question 8 + "Let me call top_song." 4 + 3 (JSON tool results are not text); output: 13 words.
  assert.deepEqual(second.at(-1).metadata.usage, { inputTokens: 15, outputTokens: 13, totalTokens: 28 });
});

test("Converse_ToolConfig_UnaryReturnsToolUseBlock", async () => {
  const out = await client().send(new ConverseCommand({
    modelId: NOVA, messages: userText("Top song on KXYZ"), toolConfig: topSongTool,
  }));
  assert.equal(out.stopReason, "tool_use");
  assert.deepEqual(out.output.message.content[1],
    { toolUse: { toolUseId: "tooluse_sim_1", name: "top_song", input: { sign: "KXYZ" } } });
});

const anthropicBody = (text) => JSON.stringify({
  anthropic_version: "bedrock-2023-05-31", max_tokens: 100, messages: [{ role: "user", content: text }],
});

test("InvokeModel_AnthropicBody_ReturnsMessagesFormat", async () => {
  const out = await client().send(new InvokeModelCommand({
    modelId: CLAUDE, contentType: "application/json", accept: "application/json", body: anthropicBody("Hi there"),
  }));
  const body = JSON.parse(new TextDecoder().decode(out.body));
  assert.equal(out.contentType, "application/json");
  assert.equal(body.type, "message");
  assert.equal(body.role, "assistant");
  assert.deepEqual(body.content, [{ type: "text", text: "Echo: Hi there" }]);
  assert.equal(body.stop_reason, "end_turn");
  assert.deepEqual(body.usage, { input_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 3 });
});

test("InvokeModelWithResponseStream_AnthropicBody_ChunksDecodeWithMetrics", async () => {
  const out = await client().send(new InvokeModelWithResponseStreamCommand({
    modelId: CLAUDE, contentType: "application/json", body: anthropicBody("Hi there"),
  }));
  const chunks = [];
  for await (const event of out.body) {
    chunks.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)));
  }
  assert.deepEqual(chunks.map((c) => c.type), ["message_start", "content_block_start",
    "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
    "content_block_stop", "message_delta", "message_stop"]);
  const text = chunks.filter((c) => c.type === "content_block_delta").map((c) => c.delta.text).join("");
  assert.equal(text, "Echo: Hi there");
  assert.equal(chunks[0].message.usage.input_tokens, 5);
  assert.equal(chunks.at(-2).usage.output_tokens, 3);
  const metrics = chunks.at(-1)["amazon-bedrock-invocationMetrics"];
  assert.equal(metrics.inputTokenCount, 5);
  assert.equal(metrics.outputTokenCount, 3);
  assert.equal(typeof metrics.invocationLatency, "number");
  assert.equal(typeof metrics.firstByteLatency, "number");
});

test("InvokeModel_TitanBody_ReturnsResults", async () => {
  const out = await client().send(new InvokeModelCommand({
    modelId: "amazon.titan-text-express-v1", body: JSON.stringify({ inputText: "one two" }),
  }));
  const body = JSON.parse(new TextDecoder().decode(out.body));
  assert.deepEqual(body, { inputTextTokenCount: 5, results: [{ tokenCount: 3, outputText: "Echo: one two", completionReason: "FINISH" }] });
});

test("Converse_ThrottleOnce_SdkRetriesAndSucceeds", async () => {
  const key = `throttle-once-${Date.now()}`;
  const command = withHeaders(new ConverseCommand({ modelId: NOVA, messages: userText("retry me") }),
    { "x-simulator-fault": "throttle:1", "x-simulator-request-key": key });
  const out = await client().send(command);
  assert.equal(out.output.message.content[0].text, "Echo: retry me");
  assert.equal(await requestCount(key), 2);
});

test("Converse_ThrottleBeyondRetries_SurfacesThrottlingException", async () => {
  const key = `throttle-always-${Date.now()}`;
  const command = withHeaders(new ConverseCommand({ modelId: NOVA, messages: userText("no luck") }),
    { "x-simulator-fault": "throttle:5", "x-simulator-request-key": key });
  await assert.rejects(client(GOOD, { maxAttempts: 2 }).send(command), (err) => {
    assert.ok(err instanceof ThrottlingException, `got ${err.name}`);
    assert.equal(err.$metadata.httpStatusCode, 429);
    return true;
  });
  assert.equal(await requestCount(key), 2);
});

test("ConverseStream_FailAfterTwo_SurfacesModelStreamErrorException", async () => {
  const out = await client().send(new ConverseStreamCommand({
    modelId: `fault.fail-after:2.${NOVA}`, messages: userText("break this stream"),
  }));
  const deltas = [];
  await assert.rejects(async () => {
    for await (const event of out.stream) {
      if (event.contentBlockDelta) {
        deltas.push(event.contentBlockDelta.delta.text);
      }
    }
  }, (err) => {
    assert.ok(err instanceof ModelStreamErrorException, `got ${err.name}`);
    assert.match(err.message, /fail-after/);
    return true;
  });
  assert.equal(deltas.length, 2);
});

test("InvokeModelWithResponseStream_FailAfterWithThrottlingType_SurfacesTypedThrottlingException", async () => {
  const command = withHeaders(new InvokeModelWithResponseStreamCommand({
    modelId: CLAUDE, contentType: "application/json", body: anthropicBody("one two three"),
  }), { "x-simulator-fault": "fail-after:1:throttlingException" });
  const out = await client().send(command);
  const types = [];
  await assert.rejects(async () => {
    for await (const event of out.body) {
      types.push(JSON.parse(new TextDecoder().decode(event.chunk.bytes)).type);
    }
  }, (err) => err instanceof ThrottlingException);
  assert.deepEqual(types, ["message_start", "content_block_start", "content_block_delta"]);
});

test("Converse_BedrockApiKey_AcceptedAsBearerToken", async () => {
  const keyed = new BedrockRuntimeClient({
    region: "us-east-1", endpoint, requestHandler: new NodeHttpHandler(),
    token: { token: BEARER }, authSchemePreference: ["httpBearerAuth"],
  });
  const out = await keyed.send(new ConverseCommand({ modelId: NOVA, messages: userText("with a key") }));
  assert.equal(out.output.message.content[0].text, "Echo: with a key");
});

test("Converse_UnknownBedrockApiKey_RejectedWithUnrecognizedClient", async () => {
  const keyed = new BedrockRuntimeClient({
    region: "us-east-1", endpoint, requestHandler: new NodeHttpHandler(), maxAttempts: 1,
    token: { token: "not-a-key" }, authSchemePreference: ["httpBearerAuth"],
  });
  await assert.rejects(keyed.send(new ConverseCommand({ modelId: NOVA, messages: userText("x") })),
    (err) => err.name === "UnrecognizedClientException" && err.$metadata.httpStatusCode === 403);
});

test("Converse_ValidationFault_SurfacesValidationException", async () => {
  const command = withHeaders(new ConverseCommand({ modelId: NOVA, messages: userText("x") }),
    { "x-simulator-fault": "validation" });
  await assert.rejects(client().send(command), (err) => {
    assert.ok(err instanceof ValidationException, `got ${err.name}`);
    assert.equal(err.$metadata.httpStatusCode, 400);
    return true;
  });
});

test("Converse_WrongSecret_RejectedWithInvalidSignature", async () => {
  await assert.rejects(
    client({ accessKeyId: GOOD.accessKeyId, secretAccessKey: "wrong" }, { maxAttempts: 1 })
      .send(new ConverseCommand({ modelId: NOVA, messages: userText("x") })),
    (err) => {
      assert.equal(err.name, "InvalidSignatureException");
      assert.equal(err.$metadata.httpStatusCode, 403);
      return true;
    });
});

test("Converse_UnknownAccessKey_RejectedWithUnrecognizedClient", async () => {
  await assert.rejects(
    client({ accessKeyId: "AKIDUNKNOWN", secretAccessKey: GOOD.secretAccessKey }, { maxAttempts: 1 })
      .send(new ConverseCommand({ modelId: NOVA, messages: userText("x") })),
    (err) => {
      assert.equal(err.name, "UnrecognizedClientException");
      assert.equal(err.$metadata.httpStatusCode, 403);
      return true;
    });
});

test("Converse_WrongRegion_RejectedWithInvalidSignature", async () => {
  const other = new BedrockRuntimeClient({
    region: "eu-west-1", endpoint, credentials: GOOD, requestHandler: new NodeHttpHandler(), maxAttempts: 1,
  });
  await assert.rejects(other.send(new ConverseCommand({ modelId: NOVA, messages: userText("x") })),
    (err) => err.name === "InvalidSignatureException");
});
