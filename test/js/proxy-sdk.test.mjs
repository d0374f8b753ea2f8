// The unmodified AWS SDK for JavaScript v3 (@aws-sdk/client-bedrock-runtime, pinned in package-lock)
// drives the proxy's Bedrock-native surface through the local stack, with the demo customer's proxy
// key as a Bedrock API key: Function URL (true streaming) and API Gateway REST (buffered) fronts,
// typed errors, a customer's rate limit, and the usage records the proxy wrote for billing.
// One stack for the whole file (see local-stack.mjs for the builds it needs).
//
// The SDK's default request handler for this service speaks HTTP/2; the local fronts (like Lambda
// Function URLs behind plain HTTP/1.1 clients) are driven with NodeHttpHandler here.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
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
import { startLocalStack, runAdmin } from "./local-stack.mjs";
import { acceptEventStream, collect, captureResponseHeaders, decodeChunks, neverIssuedKey, textOf, topSongTool, userText } from "./sdk-helpers.mjs";

const NOVA = "amazon.nova-lite-v1:0";
const CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";

let stack;
const clients = [];
/** Every successful demo-customer call, as the simulator's token rules count it; compared with the usage report at the end. */
const expectedUsage = [];

before(async () => {
  stack = await startLocalStack();
});

after(async () => {
  for (const c of clients) {
    c.destroy();
  }
  await stack?.stop();
});

/** A client with a proxy key as its Bedrock API key (token + httpBearerAuth), against a front. */
function keyed({ endpoint = stack.functionUrl, key = stack.demoKey, ...extra } = {}) {
  const client = new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint,
    token: { token: key },
    authSchemePreference: ["httpBearerAuth"],
    requestHandler: new NodeHttpHandler(),
    ...extra,
  });
  clients.push(client);
  return client;
}

/** The API Gateway front's stage URL without its trailing slash: the SDK appends /model/… itself. */
const apiEndpoint = () => stack.apiUrl.replace(/\/$/, "");

const anthropicBody = (text) => JSON.stringify({
  anthropic_version: "bedrock-2023-05-31", max_tokens: 100, messages: [{ role: "user", content: text }],
});

async function converseHelloThere(client) {
  const out = await client.send(new ConverseCommand({ modelId: NOVA, messages: userText("Hello there") }));
  assert.deepEqual(out.output.message.content, [{ text: "Echo: Hello there" }]);
  assert.equal(out.stopReason, "end_turn");
  assert.deepEqual(out.usage, { inputTokens: 5, outputTokens: 3, totalTokens: 8 });
  expectedUsage.push([NOVA, 5, 3]);
}

async function converseStreamReassembles(client, text, usage) {
  const command = new ConverseStreamCommand({ modelId: NOVA, messages: userText(text) });
  const headers = captureResponseHeaders(command);
  const out = await client.send(command);
  const events = await collect(out.stream);
  // Binary event-stream frames on both fronts (API Gateway: a base64 body the front decodes).
  assert.equal(headers["content-type"], "application/vnd.amazon.eventstream");
  assert.deepEqual(Object.keys(events[0]), ["messageStart"]);
  assert.equal(textOf(events), `Echo: ${text}`);
  assert.equal(events.find((e) => e.messageStop).messageStop.stopReason, "end_turn");
  assert.deepEqual(events.at(-1).metadata.usage, usage);
  expectedUsage.push([NOVA, usage.inputTokens, usage.outputTokens]);
}

async function invokeStreamDecodes(client, text, input, output, decorate = (command) => command) {
  const out = await client.send(decorate(new InvokeModelWithResponseStreamCommand({
    modelId: CLAUDE, contentType: "application/json", body: anthropicBody(text),
  })));
  const chunks = await decodeChunks(out.body);
  assert.equal(chunks[0].type, "message_start");
  assert.equal(chunks.at(-1).type, "message_stop");
  assert.equal(chunks.filter((c) => c.type === "content_block_delta").map((c) => c.delta.text).join(""), `Echo: ${text}`);
  const metrics = chunks.at(-1)["amazon-bedrock-invocationMetrics"];
  assert.equal(metrics.inputTokenCount, input);
  assert.equal(metrics.outputTokenCount, output);
  assert.equal(typeof metrics.invocationLatency, "number");
  expectedUsage.push([CLAUDE, input, output]);
}

test("Converse_FunctionUrlWithProxyKey_ReturnsEchoAndBedrockUsage", async () => {
  await converseHelloThere(keyed());
});

test("Converse_KeyFromAwsBearerTokenBedrockEnv_Authenticates", async () => {
  // No token option and no authSchemePreference: with AWS_BEARER_TOKEN_BEDROCK set, the SDK reads
  // the key from it and prefers httpBearerAuth on its own. Both are read when a request is signed.
  process.env.AWS_BEARER_TOKEN_BEDROCK = stack.demoKey;
  try {
    const client = new BedrockRuntimeClient({ region: "us-east-1", endpoint: stack.functionUrl, requestHandler: new NodeHttpHandler() });
    clients.push(client);
    const out = await client.send(new ConverseCommand({ modelId: NOVA, messages: userText("from the environment") }));
    assert.equal(out.output.message.content[0].text, "Echo: from the environment");
    // 3 words + 3 in; "Echo: from the environment" is 4 words out.
    assert.deepEqual(out.usage, { inputTokens: 6, outputTokens: 4, totalTokens: 10 });
    expectedUsage.push([NOVA, 6, 4]);
  } finally {
    delete process.env.AWS_BEARER_TOKEN_BEDROCK;
  }
});

test("ConverseStream_FunctionUrl_TextReassembledFromDeltas", async () => {
  await converseStreamReassembles(keyed(), "stream me please", { inputTokens: 6, outputTokens: 4, totalTokens: 10 });
});

test("InvokeModel_FunctionUrlAnthropicBody_MessagesJsonWithTokenCountHeaders", async () => {
  const command = new InvokeModelCommand({
    modelId: CLAUDE, contentType: "application/json", accept: "application/json", body: anthropicBody("Hi there"),
  });
  const headers = captureResponseHeaders(command);
  const out = await keyed().send(command);
  const body = JSON.parse(new TextDecoder().decode(out.body));
  assert.equal(body.type, "message");
  assert.deepEqual(body.content, [{ type: "text", text: "Echo: Hi there" }]);
  assert.deepEqual(body.usage, { input_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 3 });
  assert.equal(headers["x-amzn-bedrock-input-token-count"], "5");
  assert.equal(headers["x-amzn-bedrock-output-token-count"], "3");
  assert.match(headers["x-amzn-bedrock-invocation-latency"] ?? "", /^\d+$/);
  expectedUsage.push([CLAUDE, 5, 3]);
});

test("InvokeModelWithResponseStream_FunctionUrl_ChunksDecodeToAnthropicEventsWithMetrics", async () => {
  await invokeStreamDecodes(keyed(), "streamed invoke", 5, 3);
});

test("ConverseStream_TopSongToolFlow_TwoRoundsEndWithAnswer", async () => {
  const client = keyed();
  const question = "What is the most popular song on WZPZ?";

  // Round 1: a text preamble, then the tool input in JSON fragments, parsed once its block stops.
  const first = await client.send(new ConverseStreamCommand({ modelId: CLAUDE, messages: userText(question), toolConfig: topSongTool }));
  const assistant = [];
  let toolUse;
  let fragments = [];
  let stopReason;
  let usage1;
  for await (const event of first.stream) {
    if (event.contentBlockStart?.start?.toolUse) {
      toolUse = { ...event.contentBlockStart.start.toolUse };
      fragments = [];
    } else if (event.contentBlockDelta?.delta?.toolUse) {
      fragments.push(event.contentBlockDelta.delta.toolUse.input);
    } else if (event.contentBlockDelta?.delta?.text !== undefined) {
      const last = assistant.at(-1);
      if (last?.text !== undefined) {
        last.text += event.contentBlockDelta.delta.text;
      } else {
        assistant.push({ text: event.contentBlockDelta.delta.text });
      }
    } else if (event.contentBlockStop && toolUse && !toolUse.input) {
      toolUse.input = JSON.parse(fragments.join(""));
      assistant.push({ toolUse });
    } else if (event.messageStop) {
      stopReason = event.messageStop.stopReason;
    } else if (event.metadata) {
      usage1 = event.metadata.usage;
    }
  }
  assert.equal(stopReason, "tool_use");
  assert.ok(fragments.length >= 3, `tool input arrives in fragments, got ${fragments.length}`);
  assert.deepEqual(assistant, [
    { text: "Let me call top_song." },
    { toolUse: { toolUseId: "tooluse_sim_1", name: "top_song", input: { sign: "WZPZ" } } },
  ]);
  assert.deepEqual(usage1, { inputTokens: 11, outputTokens: 14, totalTokens: 25 });
  expectedUsage.push([CLAUDE, 11, 14]);

  // Round 2: the tool's result goes back; the answer streams.
  const second = await client.send(new ConverseStreamCommand({
    modelId: CLAUDE,
    toolConfig: topSongTool,
    messages: [
      ...userText(question),
      { role: "assistant", content: assistant },
      { role: "user", content: [{ toolResult: { toolUseId: toolUse.toolUseId,
        content: [{ json: { song: "Elemental Hotel", artist: "8 Storey Hike" } }] } }] },
    ],
  }));
  const events = await collect(second.stream);
  assert.equal(textOf(events), "The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.");
  assert.equal(events.find((e) => e.messageStop).messageStop.stopReason, "end_turn");
  assert.deepEqual(events.at(-1).metadata.usage, { inputTokens: 15, outputTokens: 13, totalTokens: 28 });
  expectedUsage.push([CLAUDE, 15, 13]);
});

/** Authenticated model requests the simulator has answered so far. */
async function simulatorRequests() {
  const response = await fetch(new URL("_simulator/requests", stack.bedrockUrl));
  return (await response.json()).total;
}

test("Converse_UpstreamThrottledBeyondProxyRetries_ThrowsThrottlingException", async () => {
  const client = keyed({ maxAttempts: 1 });
  const before = await simulatorRequests();
  await assert.rejects(
    client.send(new ConverseCommand({ modelId: `fault.throttle:9.${NOVA}`, messages: userText("throttle me") })),
    (err) => {
      assert.ok(err instanceof ThrottlingException, `got ${err.name}: ${err.message}`);
      assert.equal(err.$metadata.httpStatusCode, 429);
      return true;
    });
  // The proxy retried Bedrock's throttling (BEDROCK_MAX_ATTEMPTS, 4 by default) before answering 429.
  assert.equal(await simulatorRequests() - before, 4);
});

test("Converse_UpstreamValidationFault_ThrowsValidationException", async () => {
  await assert.rejects(
    keyed({ maxAttempts: 1 }).send(new ConverseCommand({ modelId: `fault.validation.${NOVA}`, messages: userText("x") })),
    (err) => {
      assert.ok(err instanceof ValidationException, `got ${err.name}: ${err.message}`);
      assert.equal(err.$metadata.httpStatusCode, 400);
      return true;
    });
});

test("ConverseStream_FailAfterTwoDeltas_ThrowsModelStreamErrorExceptionWhileIterating", async () => {
  const out = await keyed().send(new ConverseStreamCommand({
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
    assert.ok(err instanceof ModelStreamErrorException, `got ${err.name}: ${err.message}`);
    return true;
  });
  assert.equal(deltas.length, 2);
});

test("Converse_UnknownKey_Rejects401AsUnrecognizedClientException", async () => {
  // Well formed, checksum right, never issued: the SDK names the error after x-amzn-ErrorType.
  const unknown = neverIssuedKey();
  await assert.rejects(
    keyed({ key: unknown, maxAttempts: 1 }).send(new ConverseCommand({ modelId: NOVA, messages: userText("x") })),
    (err) => {
      assert.equal(err.$metadata.httpStatusCode, 401);
      assert.equal(err.name, "UnrecognizedClientException");
      assert.match(err.message, /^The API key is not valid\.$/);
      return true;
    });
});

test("Converse_NoAuthorizationHeader_Rejects401SayingSendBearerKey", async () => {
  // An SDK always signs; drop the header after signing to send what a keyless caller sends.
  const command = new ConverseCommand({ modelId: NOVA, messages: userText("x") });
  command.middlewareStack.addRelativeTo(
    (next) => async (args) => {
      for (const name of Object.keys(args.request.headers).filter((n) => n.toLowerCase() === "authorization")) {
        delete args.request.headers[name];
      }
      return next(args);
    },
    { relation: "after", toMiddleware: "httpSigningMiddleware", name: "dropAuthorization" },
  );
  await assert.rejects(keyed({ maxAttempts: 1 }).send(command), (err) => {
    assert.equal(err.$metadata.httpStatusCode, 401);
    assert.equal(err.name, "UnrecognizedClientException");
    assert.match(err.message, /Missing API key/);
    return true;
  });
});

test("Converse_SigV4SignedRequest_Rejects401SayingUseProxyKeyAsBedrockApiKey", async () => {
  const sigv4 = new BedrockRuntimeClient({
    region: "us-east-1", endpoint: stack.functionUrl, requestHandler: new NodeHttpHandler(), maxAttempts: 1,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  });
  clients.push(sigv4);
  await assert.rejects(sigv4.send(new ConverseCommand({ modelId: NOVA, messages: userText("x") })), (err) => {
    assert.equal(err.$metadata.httpStatusCode, 401);
    assert.match(err.message, /SigV4/);
    assert.match(err.message, /Bedrock API key/);
    assert.match(err.message, /AWS_BEARER_TOKEN_BEDROCK/);
    return true;
  });
});

test("Converse_OverCustomerRequestsPerMinute_ThrowsThrottlingException", async () => {
  await runAdmin(stack.dynamoUrl, ["customers", "create", "--name", "Two per minute", "--id", "rpm2", "--rpm", "2", "--format", "json"]);
  const issued = JSON.parse(await runAdmin(stack.dynamoUrl, ["keys", "issue", "rpm2", "--format", "json"]));
  assert.match(issued.apiKey, /^blp_/);
  const client = keyed({ key: issued.apiKey, maxAttempts: 1 });
  for (const word of ["one", "two"]) {
    const out = await client.send(new ConverseCommand({ modelId: NOVA, messages: userText(word) }));
    assert.equal(out.output.message.content[0].text, `Echo: ${word}`);
  }
  await assert.rejects(client.send(new ConverseCommand({ modelId: NOVA, messages: userText("three") })), (err) => {
    assert.ok(err instanceof ThrottlingException, `got ${err.name}: ${err.message}`);
    assert.equal(err.$metadata.httpStatusCode, 429);
    return true;
  });
});

test("Converse_ApiGatewayBufferedFront_Parses", async () => {
  const client = keyed({ endpoint: apiEndpoint() });
  const out = await client.send(new ConverseCommand({ modelId: NOVA, messages: userText("through the gateway") }));
  assert.equal(out.output.message.content[0].text, "Echo: through the gateway");
  assert.deepEqual(out.usage, { inputTokens: 6, outputTokens: 4, totalTokens: 10 });
  expectedUsage.push([NOVA, 6, 4]);
});

test("ConverseStream_ApiGatewayBufferedFront_WholeEventStreamParses", async () => {
  await converseStreamReassembles(keyed({ endpoint: apiEndpoint() }), "buffered stream", { inputTokens: 5, outputTokens: 3, totalTokens: 8 });
});

test("InvokeModelWithResponseStream_ApiGatewayBufferedFrontWithAcceptHeader_ChunksDecode", async () => {
  // With the Accept header docs/SDK.md recommends for API Gateway on AWS.
  await invokeStreamDecodes(keyed({ endpoint: apiEndpoint() }), "buffered invoke stream please", 7, 5, acceptEventStream);
});

test("ConverseStream_ApiGatewayBufferedFailAfterTwo_ThrowsModelStreamErrorExceptionAfterTwoDeltas", async () => {
  const out = await keyed({ endpoint: apiEndpoint() }).send(new ConverseStreamCommand({
    modelId: `fault.fail-after:2.${NOVA}`, messages: userText("break the buffered stream"),
  }));
  const deltas = [];
  await assert.rejects(async () => {
    for await (const event of out.stream) {
      if (event.contentBlockDelta) {
        deltas.push(event.contentBlockDelta.delta.text);
      }
    }
  }, (err) => err instanceof ModelStreamErrorException);
  assert.equal(deltas.length, 2);
});

test("UsageReport_AfterCalls_EqualsSimulatorCounts", async () => {
  const month = new Date().toISOString().slice(0, 7);
  const expected = expectedUsage.map(([model, input, output]) => `${model} ${input}/${output}`).sort();
  // Streamed calls record usage after their last byte reaches the client, so the report may trail
  // the last call briefly; 30 s is a failure guard, not a measurement.
  const deadline = Date.now() + 30_000;
  let actual;
  let report;
  do {
    report = JSON.parse(await runAdmin(stack.dynamoUrl, ["usage", "report", "demo", "--month", month, "--records", "--format", "json"]));
    actual = report.records
      .filter((r) => String(r.httpStatus) === "200" && !r.errorType)
      .map((r) => `${r.modelId} ${r.inputTokens}/${r.outputTokens}`)
      .sort();
    if (actual.length >= expected.length) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  } while (Date.now() < deadline);
  assert.deepEqual(actual, expected);
  const sum = (i) => expectedUsage.reduce((total, entry) => total + entry[i], 0);
  // The error records (throttled, invalid, broken stream) carry no tokens Bedrock did not report.
  assert.equal(report.totals.inputTokens - sumFailed(report, "inputTokens"), sum(1));
  assert.equal(report.totals.outputTokens - sumFailed(report, "outputTokens"), sum(2));
});

function sumFailed(report, field) {
  return report.records
    .filter((r) => !(String(r.httpStatus) === "200" && !r.errorType))
    .reduce((total, r) => total + Number(r[field] || 0), 0);
}
