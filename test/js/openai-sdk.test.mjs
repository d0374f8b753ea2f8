// The real OpenAI client for JavaScript (`openai`, pinned in package-lock), unmodified, pointed at
// the proxy's OpenAI-compatible surface (`<front>/v1`) with a proxy key: unary and streamed chat
// completions read through the client's own APIs, the seed's two-round `top_song` tool flow both
// ways, the model list, errors raised as the client's own typed errors, and reasoning (streamed reasoning_content, and
// a tool flow with thinking whose thinking_blocks go back).
// One stack for the whole file (see local-stack.mjs for the builds it needs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import OpenAI, { APIError, AuthenticationError, BadRequestError, RateLimitError } from "openai";
import { startLocalStack, runAdmin } from "./local-stack.mjs";

const NOVA = "amazon.nova-lite-v1:0";
const CLAUDE = "anthropic.claude-3-haiku-20240307-v1:0";
const QUESTION = "What is the most popular song on WZPZ?";
const ANSWER = "The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.";

/** The seed's tool, as an OpenAI function tool. */
const topSong = {
  type: "function",
  function: {
    name: "top_song",
    description: "Get the most popular song played on a radio station.",
    parameters: { type: "object", properties: { sign: { type: "string" } }, required: ["sign"] },
  },
};

let stack;

before(async () => {
  stack = await startLocalStack();
  // Warm both workers: a worker's first key lookup also builds its DynamoDB client, which on a
  // loaded machine can overrun the proxy's 2 s cold-lookup budget (a deliberate 503 tested elsewhere).
  for (let attempt = 0; attempt < 20; attempt++) {
    const statuses = await Promise.all([0, 1].map(() => fetch(new URL("v1/models", stack.functionUrl),
      { headers: { authorization: `Bearer ${stack.demoKey}` } }).then((r) => r.status)));
    if (statuses.every((s) => s === 200)) {
      break;
    }
  }
});

after(async () => {
  await stack?.stop();
});

/** A client for a front's /v1; no retries, so what the proxy answered is what the test sees. */
function openai({ front = stack.functionUrl, key = stack.demoKey } = {}) {
  return new OpenAI({ apiKey: key, baseURL: new URL("v1", front).href, maxRetries: 0, timeout: 60_000 });
}

test("ChatCompletions_Unary_TextStopAndBedrockCounts", async () => {
  const completion = await openai().chat.completions.create({
    model: NOVA, messages: [{ role: "user", content: "Hello there" }],
  });
  assert.equal(completion.object, "chat.completion");
  assert.equal(completion.choices[0].message.content, "Echo: Hello there");
  assert.equal(completion.choices[0].finish_reason, "stop");
  assert.equal(completion.usage.prompt_tokens, 5);
  assert.equal(completion.usage.completion_tokens, 3);
  assert.equal(completion.usage.total_tokens, 8);
});

test("ChatCompletions_StreamWithUsage_IteratesChunksThenUsage", async () => {
  const stream = await openai().chat.completions.create({
    model: NOVA, messages: [{ role: "user", content: "Hello there" }], stream: true, stream_options: { include_usage: true },
  });
  let text = "";
  let chunks = 0;
  let finish;
  let usage;
  for await (const chunk of stream) {
    chunks++;
    assert.equal(chunk.object, "chat.completion.chunk");
    text += chunk.choices[0]?.delta?.content ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
    usage = chunk.usage ?? usage;
  }
  assert.equal(text, "Echo: Hello there");
  assert.ok(chunks > 3, `the answer arrives in pieces, got ${chunks} chunks`);
  assert.equal(finish, "stop");
  assert.deepEqual([usage.prompt_tokens, usage.completion_tokens, usage.total_tokens], [5, 3, 8]);
});

test("ChatCompletions_TopSongToolFlowUnary_TwoRounds", async () => {
  const client = openai();
  const messages = [{ role: "user", content: QUESTION }];
  const first = await client.chat.completions.create({ model: CLAUDE, messages, tools: [topSong] });
  const message = first.choices[0].message;
  assert.equal(first.choices[0].finish_reason, "tool_calls");
  assert.equal(message.content, "Let me call top_song.");
  assert.equal(message.tool_calls.length, 1);
  assert.equal(message.tool_calls[0].function.name, "top_song");
  assert.deepEqual(JSON.parse(message.tool_calls[0].function.arguments), { sign: "WZPZ" });
  assert.deepEqual([first.usage.prompt_tokens, first.usage.completion_tokens], [11, 14]);

  messages.push(message, {
    role: "tool", tool_call_id: message.tool_calls[0].id, content: JSON.stringify({ song: "Elemental Hotel", artist: "8 Storey Hike" }),
  });
  const second = await client.chat.completions.create({ model: CLAUDE, messages, tools: [topSong] });
  assert.equal(second.choices[0].message.content, ANSWER);
  assert.equal(second.choices[0].finish_reason, "stop");
  assert.deepEqual([second.usage.prompt_tokens, second.usage.completion_tokens], [15, 13]);
});

test("ChatCompletions_TopSongToolFlowStreamed_ClientAccumulatesArgumentDeltas", async () => {
  const client = openai();
  const messages = [{ role: "user", content: QUESTION }];
  // The client's stream helper assembles the tool call from its indexed argument deltas.
  const runner = client.chat.completions.stream({ model: CLAUDE, messages, tools: [topSong], stream_options: { include_usage: true } });
  let argumentDeltas = 0;
  runner.on("chunk", (chunk) => {
    if (chunk.choices[0]?.delta?.tool_calls?.[0]?.function?.arguments) {
      argumentDeltas++;
    }
  });
  const first = await runner.finalChatCompletion();
  const message = first.choices[0].message;
  assert.equal(first.choices[0].finish_reason, "tool_calls");
  assert.equal(message.content, "Let me call top_song.");
  assert.equal(message.tool_calls[0].function.name, "top_song");
  assert.equal(message.tool_calls[0].function.arguments, '{"sign":"WZPZ"}');
  assert.ok(argumentDeltas >= 3, `tool arguments arrive in pieces, got ${argumentDeltas}`);
  assert.deepEqual([first.usage.prompt_tokens, first.usage.completion_tokens], [11, 14]);

  messages.push({ role: "assistant", content: message.content, tool_calls: message.tool_calls }, {
    role: "tool", tool_call_id: message.tool_calls[0].id, content: JSON.stringify({ song: "Elemental Hotel", artist: "8 Storey Hike" }),
  });
  const stream = await client.chat.completions.create({ model: CLAUDE, messages, tools: [topSong], stream: true });
  let text = "";
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? "";
  }
  assert.equal(text, ANSWER);
});

test("ChatCompletions_StreamBreaksMidway_IterationThrowsAfterTwoDeltas", async () => {
  const stream = await openai().chat.completions.create({
    model: `fault.fail-after:2.${NOVA}`, messages: [{ role: "user", content: "break this stream please" }], stream: true,
  });
  const deltas = [];
  await assert.rejects(async () => {
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content) {
        deltas.push(chunk.choices[0].delta.content);
      }
    }
  }, (err) => {
    // The proxy's `event: error` (OpenAI's error object) is raised by the client as an APIError.
    assert.ok(err instanceof APIError, `got ${err?.constructor?.name}: ${err.message}`);
    assert.equal(err.code, "ModelStreamErrorException");
    assert.match(err.message, /fail-after/);
    return true;
  });
  assert.equal(deltas.length, 2);
});

test("Models_List_IncludesTheDefaultModels", async () => {
  const ids = [];
  for await (const model of openai().models.list()) {
    ids.push(model.id);
  }
  assert.ok(ids.includes(NOVA), ids.join(", "));
  assert.ok(ids.includes(CLAUDE), ids.join(", "));
});

test("ChatCompletions_ApiGatewayBufferedFront_Unary", async () => {
  const completion = await openai({ front: stack.apiUrl }).chat.completions.create({
    model: NOVA, messages: [{ role: "user", content: "through the gateway" }],
  });
  assert.equal(completion.choices[0].message.content, "Echo: through the gateway");
});

test("ChatCompletions_OverRequestsPerMinute_RateLimitError", async () => {
  await runAdmin(stack.dynamoUrl, ["customers", "create", "--name", "OpenAI one per minute", "--id", "oa-rpm1", "--rpm", "1", "--format", "json"]);
  const issued = JSON.parse(await runAdmin(stack.dynamoUrl, ["keys", "issue", "oa-rpm1", "--format", "json"]));
  const client = openai({ key: issued.apiKey });
  await client.chat.completions.create({ model: NOVA, messages: [{ role: "user", content: "one" }] });
  await assert.rejects(client.chat.completions.create({ model: NOVA, messages: [{ role: "user", content: "two" }] }), (err) => {
    assert.ok(err instanceof RateLimitError, `got ${err?.constructor?.name}: ${err.message}`);
    assert.equal(err.status, 429);
    assert.ok(Number(err.headers.get("retry-after")) >= 1);
    assert.equal(err.headers.get("x-ratelimit-remaining-requests"), "0");
    assert.equal(err.code, "rate_limit_exceeded");
    return true;
  });
});

test("ChatCompletions_UnknownKey_AuthenticationError", async () => {
  await assert.rejects(
    openai({ key: "blp_not_a_real_key" }).chat.completions.create({ model: NOVA, messages: [{ role: "user", content: "x" }] }),
    (err) => {
      assert.ok(err instanceof AuthenticationError, `got ${err?.constructor?.name}: ${err.message}`);
      assert.equal(err.status, 401);
      assert.equal(err.code, "invalid_api_key");
      return true;
    });
});

test("ChatCompletions_NGreaterThanOne_BadRequestNamingTheParameter", async () => {
  await assert.rejects(
    openai().chat.completions.create({ model: NOVA, messages: [{ role: "user", content: "x" }], n: 2 }),
    (err) => {
      assert.equal(err.status, 400);
      assert.equal(err.param, "n");
      return true;
    });
});

// Reasoning (docs/OPENAI.md, "Reasoning"): the client has no typed fields for it, but its chunks and messages
// are the JSON the proxy sent, so delta.reasoning_content and thinking_blocks read and go back as they are.
const THINKING_CLAUDE = "anthropic.claude-sonnet-4-5-20250929-v1:0";

test("ChatCompletions_ReasoningEffortStream_IteratesReasoningContentThenAnswer", async () => {
  const stream = await openai().chat.completions.create({
    model: THINKING_CLAUDE, messages: [{ role: "user", content: "Hello there" }], reasoning_effort: "low", stream: true,
  });
  let reasoning = "";
  let reasoningChunks = 0;
  let text = "";
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta ?? {};
    if (delta.reasoning_content) {
      assert.equal(text, "", "reasoning comes before the answer");
      reasoning += delta.reasoning_content;
      reasoningChunks++;
    }
    text += delta.content ?? "";
  }
  assert.equal(reasoning, "The user asked: Hello there. I will answer with the scripted reply.");
  assert.ok(reasoningChunks >= 2, `reasoning arrives in pieces, got ${reasoningChunks}`);
  assert.equal(text, "Echo: Hello there");
});

test("ChatCompletions_TopSongToolFlowWithThinking_ThinkingBlocksFromTheStreamSentBack", async () => {
  const client = openai();
  const messages = [{ role: "user", content: QUESTION }];
  const request = { model: THINKING_CLAUDE, tools: [topSong], reasoning_effort: "low" };
  const stream = await client.chat.completions.create({ ...request, messages, stream: true });
  let content = "";
  const thinkingBlocks = [];
  const call = { id: undefined, name: undefined, arguments: "" };
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta ?? {};
    content += delta.content ?? "";
    thinkingBlocks.push(...(delta.thinking_blocks ?? []));
    const tool = delta.tool_calls?.[0];
    call.id ??= tool?.id;
    call.name ??= tool?.function?.name;
    call.arguments += tool?.function?.arguments ?? "";
  }
  assert.equal(thinkingBlocks.length, 1);
  assert.equal(thinkingBlocks[0].type, "thinking");
  assert.ok(thinkingBlocks[0].signature, "the signed block reaches the client");
  assert.equal(call.name, "top_song");

  const assistant = {
    role: "assistant", content,
    tool_calls: [{ id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } }],
  };
  const result = { role: "tool", tool_call_id: call.id, content: JSON.stringify({ song: "Elemental Hotel", artist: "8 Storey Hike" }) };
  const second = await client.chat.completions.create({
    ...request, messages: [...messages, { ...assistant, thinking_blocks: thinkingBlocks }, result],
  });
  assert.equal(second.choices[0].message.content, ANSWER);
  assert.equal(second.choices[0].message.thinking_blocks[0].type, "thinking");

  // Without the block, Bedrock (here the simulator) refuses the round, and the client raises its 400.
  await assert.rejects(
    client.chat.completions.create({ ...request, messages: [...messages, assistant, result] }),
    (error) => error instanceof APIError && error.status === 400 && /must start with a thinking block/.test(error.message));
});

// OpenAI-strict validation (issue 24 item 4): a wrong type is a 400 the client raises as BadRequestError naming the
// parameter, even for parameters the proxy ignores; inconsistent tools are refused before Bedrock is called.
for (const [name, extra, param, code] of [
  ["SeedAsString", { seed: "7" }, "seed", "invalid_type"],
  ["LogitBiasNotAnObject", { logit_bias: "none" }, "logit_bias", "invalid_type"],
  ["ToolChoiceNamingAnUndefinedTool", { tools: [topSong], tool_choice: { type: "function", function: { name: "weather" } } },
    "tool_choice.function.name", "invalid_value"],
]) {
  test(`ChatCompletions_${name}_BadRequestErrorNamingTheParameter`, async () => {
    await assert.rejects(
      openai().chat.completions.create({ model: NOVA, messages: [{ role: "user", content: "x" }], ...extra }),
      (err) => {
        assert.ok(err instanceof BadRequestError, `got ${err?.constructor?.name}: ${err.message}`);
        assert.equal(err.status, 400);
        assert.equal(err.param, param);
        assert.equal(err.code, code);
        assert.equal(err.type, "invalid_request_error");
        return true;
      });
  });
}

test("ChatCompletions_ToolChoiceNoneAfterAToolRound_PlainAnswer", async () => {
  const completion = await openai().chat.completions.create({
    model: NOVA,
    tools: [topSong],
    tool_choice: "none",
    messages: [
      { role: "user", content: QUESTION },
      { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "top_song", arguments: '{"sign":"WZPZ"}' } }] },
      { role: "tool", tool_call_id: "call_1", content: '{"song":"Elemental Hotel","artist":"8 Storey Hike"}' },
      { role: "user", content: "Thanks, no more tools please." },
    ],
  });
  assert.equal(completion.choices[0].finish_reason, "stop");
  assert.equal(completion.choices[0].message.tool_calls, undefined);
  assert.ok(completion.choices[0].message.content.length > 0);
});

// Embeddings (POST /v1/embeddings): Titan Text Embeddings V2 and Cohere Embed v3 / v4, in both encodings.
const EMBEDDING_MODELS = [
  { model: "amazon.titan-embed-text-v2:0", dimensions: 256 },
  { model: "cohere.embed-english-v3", dimensions: undefined },
  { model: "cohere.embed-v4:0", dimensions: 512 },
];
const EMBED_INPUTS = ["Hello there", "a b c"];

/** OpenAI's base64 encoding: little-endian float32 values. */
function decodeBase64(text) {
  const bytes = Buffer.from(text, "base64");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

for (const { model, dimensions } of EMBEDDING_MODELS) {
  test(`Embeddings_${model}_FloatBase64AndSdkDefaultAgree`, async () => {
    const client = openai();
    const floats = await client.embeddings.create({ model, input: EMBED_INPUTS, dimensions, encoding_format: "float" });
    const base64 = await client.embeddings.create({ model, input: EMBED_INPUTS, dimensions, encoding_format: "base64" });
    // No encoding_format: the SDK asks for base64 itself and hands back decoded numbers.
    const sdkDefault = await client.embeddings.create({ model, input: EMBED_INPUTS, dimensions });

    assert.equal(floats.object, "list");
    assert.equal(floats.model, model);
    assert.deepEqual(floats.data.map((d) => d.index), [0, 1]);
    assert.ok(floats.usage.prompt_tokens > 0);
    assert.equal(floats.usage.total_tokens, floats.usage.prompt_tokens);
    for (let i = 0; i < EMBED_INPUTS.length; i++) {
      const asFloats = floats.data[i].embedding;
      assert.equal(asFloats.length, dimensions ?? 1024);
      assert.equal(typeof base64.data[i].embedding, "string");
      const decoded = decodeBase64(base64.data[i].embedding);
      // The JSON numbers are float32 values written shortest-first: read back as float32 they are the base64 bytes exactly.
      assert.deepEqual(asFloats.map(Math.fround), decoded);
      assert.deepEqual(sdkDefault.data[i].embedding, decoded);
    }
    assert.notDeepEqual(floats.data[0].embedding, floats.data[1].embedding);
  });
}

test("Embeddings_TokenIds_BadRequestNamingInput", async () => {
  await assert.rejects(
    openai().embeddings.create({ model: "amazon.titan-embed-text-v2:0", input: [[1, 2, 3]] }),
    (err) => {
      assert.ok(err instanceof APIError, `got ${err?.constructor?.name}: ${err.message}`);
      assert.equal(err.status, 400);
      assert.equal(err.param, "input");
      return true;
    });
});

test("Models_List_IncludesTheEmbeddingModels", async () => {
  const ids = [];
  for await (const model of openai().models.list()) {
    ids.push(model.id);
  }
  for (const { model } of EMBEDDING_MODELS) {
    assert.ok(ids.includes(model), ids.join(", "));
  }
});
