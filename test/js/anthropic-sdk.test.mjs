// The real Anthropic client for JavaScript (`@anthropic-ai/sdk`, pinned in package-lock), unmodified, pointed at
// the proxy's Anthropic-compatible surface (`<front>/v1/messages`) with a proxy key: unary and streamed messages
// read through the client's own APIs (`messages.stream()` to its final message), the seed's two-round `top_song`
// tool flow both ways, a tool round with extended thinking (the simulator verifies the thinking block's signature
// when it comes back, so it must pass byte for byte), count_tokens, and errors raised as the client's typed errors.
// One stack for the whole file (see local-stack.mjs for the builds it needs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import Anthropic, { AuthenticationError, NotFoundError, RateLimitError } from "@anthropic-ai/sdk";
import { startLocalStack, runAdmin } from "./local-stack.mjs";

/** An Anthropic name the proxy's alias table maps to a Bedrock inference profile. */
const MODEL = "claude-sonnet-4-5";
const QUESTION = "What is the most popular song on WZPZ?";
const ANSWER = "The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.";

/** The seed's tool, as an Anthropic tool. */
const topSong = {
  name: "top_song",
  description: "Get the most popular song played on a radio station.",
  input_schema: { type: "object", properties: { sign: { type: "string" } }, required: ["sign"] },
};

let stack;

before(async () => {
  stack = await startLocalStack();
  // Warm both workers (see openai-sdk.test.mjs): the first key lookup of a worker also builds its DynamoDB client.
  for (let attempt = 0; attempt < 20; attempt++) {
    const statuses = await Promise.all([0, 1].map(() => fetch(new URL("v1/models", stack.functionUrl),
      { headers: { "x-api-key": stack.demoKey, "anthropic-version": "2023-06-01" } }).then((r) => r.status)));
    if (statuses.every((s) => s === 200)) {
      break;
    }
  }
});

after(async () => {
  await stack?.stop();
});

/** A client for a front; no retries, so what the proxy answered is what the test sees. */
function anthropic({ front = stack.functionUrl, key = stack.demoKey, bearer = false } = {}) {
  const base = { baseURL: front.replace(/\/$/, ""), maxRetries: 0, timeout: 60_000 };
  return new Anthropic(bearer ? { ...base, apiKey: null, authToken: key } : { ...base, apiKey: key });
}

/** Runs the tool the model asked for, as an application would. */
function toolResult(toolUse) {
  assert.equal(toolUse.name, "top_song");
  assert.deepEqual(toolUse.input, { sign: "WZPZ" });
  return { type: "tool_result", tool_use_id: toolUse.id, content: JSON.stringify({ song: "Elemental Hotel", artist: "8 Storey Hike" }) };
}

test("Messages_Unary_TextEndTurnAndUsage", async () => {
  const message = await anthropic().messages.create({
    model: MODEL, max_tokens: 256, messages: [{ role: "user", content: "Hello there" }],
  });
  assert.equal(message.type, "message");
  assert.equal(message.role, "assistant");
  assert.equal(message.content[0].type, "text");
  assert.equal(message.content[0].text, "Echo: Hello there");
  assert.equal(message.stop_reason, "end_turn");
  assert.equal(message.usage.input_tokens, 5);
  assert.equal(message.usage.output_tokens, 3);
});

test("Messages_BearerAuthToken_AnsweredLikeTheApiKey", async () => {
  const message = await anthropic({ bearer: true }).messages.create({
    model: MODEL, max_tokens: 64, messages: [{ role: "user", content: "Hello there" }],
  });
  assert.equal(message.content[0].text, "Echo: Hello there");
});

test("MessagesStream_TextEventsToTheFinalMessage", async () => {
  const stream = anthropic().messages.stream({
    model: MODEL, max_tokens: 256, messages: [{ role: "user", content: "Hello there, streaming" }],
  });
  let text = "";
  let events = 0;
  stream.on("text", (delta) => {
    text += delta;
    events++;
  });
  const final = await stream.finalMessage();
  assert.equal(text, "Echo: Hello there, streaming");
  assert.ok(events >= 2, `the answer arrives in pieces, got ${events} text events`);
  assert.equal(final.content[0].text, text);
  assert.equal(final.stop_reason, "end_turn");
  assert.ok(final.usage.output_tokens > 0);
  assert.ok(stream.request_id, "the client read the request-id header");
});

test("Messages_TopSongToolFlow_Unary_TwoRounds", async () => {
  const client = anthropic();
  const messages = [{ role: "user", content: QUESTION }];
  const first = await client.messages.create({ model: MODEL, max_tokens: 512, tools: [topSong], messages });
  assert.equal(first.stop_reason, "tool_use");
  const toolUse = first.content.find((b) => b.type === "tool_use");
  messages.push({ role: "assistant", content: first.content }, { role: "user", content: [toolResult(toolUse)] });

  const second = await client.messages.create({ model: MODEL, max_tokens: 512, tools: [topSong], messages });
  assert.equal(second.stop_reason, "end_turn");
  assert.equal(second.content[0].text, ANSWER);
});

test("MessagesStream_TopSongToolFlow_InputJsonDeltasThenAnswer", async () => {
  const client = anthropic();
  const messages = [{ role: "user", content: QUESTION }];
  const stream = client.messages.stream({ model: MODEL, max_tokens: 512, tools: [topSong], messages });
  let partialJson = 0;
  stream.on("inputJson", () => partialJson++);
  const first = await stream.finalMessage();
  assert.equal(first.stop_reason, "tool_use");
  assert.ok(partialJson >= 2, `the tool input arrives as input_json_delta pieces, got ${partialJson}`);
  const toolUse = first.content.find((b) => b.type === "tool_use");
  messages.push({ role: "assistant", content: first.content }, { role: "user", content: [toolResult(toolUse)] });

  const second = await client.messages.stream({ model: MODEL, max_tokens: 512, tools: [topSong], messages }).finalMessage();
  assert.equal(second.content[0].text, ANSWER);
});

test("MessagesStream_ThinkingToolRound_SignedThinkingReturnedByteForByte", async () => {
  const client = anthropic();
  const thinking = { type: "enabled", budget_tokens: 1024 };
  const messages = [{ role: "user", content: QUESTION }];
  const stream = client.messages.stream({ model: MODEL, max_tokens: 2048, thinking, tools: [topSong], messages });
  let thinkingText = "";
  let signature = "";
  stream.on("thinking", (delta) => { thinkingText += delta; });
  stream.on("signature", (s) => { signature = s; });
  const first = await stream.finalMessage();
  assert.equal(first.content[0].type, "thinking");
  assert.equal(first.content[0].thinking, thinkingText);
  assert.equal(first.content[0].signature, signature);
  assert.ok(signature.length > 0);
  const toolUse = first.content.find((b) => b.type === "tool_use");
  messages.push({ role: "assistant", content: first.content }, { role: "user", content: [toolResult(toolUse)] });

  // The simulator refuses the round if the thinking block is missing or changed by one byte.
  const second = await client.messages.create({ model: MODEL, max_tokens: 2048, thinking, tools: [topSong], messages });
  assert.equal(second.content.find((b) => b.type === "text").text, ANSWER);

  const tampered = structuredClone(messages);
  tampered[1].content[0].thinking += " ";
  await assert.rejects(client.messages.create({ model: MODEL, max_tokens: 2048, thinking, tools: [topSong], messages: tampered }),
    (err) => err.status === 400 && /signature/.test(err.message));
});

test("CountTokens_InputTokensAsTheMessageWouldBeCharged", async () => {
  const client = anthropic();
  const request = { model: MODEL, messages: [{ role: "user", content: "Hello there" }] };
  const counted = await client.messages.countTokens(request);
  const message = await client.messages.create({ ...request, max_tokens: 16 });
  assert.deepEqual(Object.keys(counted), ["input_tokens"]);
  assert.equal(counted.input_tokens, message.usage.input_tokens);
});

test("Messages_UnknownKey_AuthenticationError", async () => {
  await assert.rejects(
    anthropic({ key: "blp_not_a_real_key" }).messages.create({ model: MODEL, max_tokens: 16, messages: [{ role: "user", content: "x" }] }),
    (err) => {
      assert.ok(err instanceof AuthenticationError, `got ${err?.constructor?.name}: ${err.message}`);
      assert.equal(err.status, 401);
      assert.equal(err.error.type, "error");
      assert.equal(err.error.error.type, "authentication_error");
      assert.ok(err.requestID, "the error names the request id");
      return true;
    });
});

test("Messages_OverRequestsPerMinute_RateLimitError", async () => {
  await runAdmin(stack.dynamoUrl, ["customers", "create", "--name", "Anthropic one per minute", "--id", "an-rpm1", "--rpm", "1", "--format", "json"]);
  const issued = JSON.parse(await runAdmin(stack.dynamoUrl, ["keys", "issue", "an-rpm1", "--format", "json"]));
  const client = anthropic({ key: issued.apiKey });
  await client.messages.create({ model: MODEL, max_tokens: 16, messages: [{ role: "user", content: "one" }] });
  await assert.rejects(client.messages.create({ model: MODEL, max_tokens: 16, messages: [{ role: "user", content: "two" }] }), (err) => {
    assert.ok(err instanceof RateLimitError, `got ${err?.constructor?.name}: ${err.message}`);
    assert.equal(err.status, 429);
    assert.ok(Number(err.headers.get("retry-after")) >= 1);
    assert.equal(err.error.error.type, "rate_limit_error");
    return true;
  });
});

test("Models_List_AnthropicNamesTheClientCanSend", async () => {
  const ids = [];
  for await (const model of anthropic().models.list()) {
    ids.push(model.id);
  }
  assert.ok(ids.includes("claude-sonnet-4-5-20250929"), ids.join(", "));
  assert.ok(ids.includes("claude-opus-5-5"), ids.join(", "));
});

test("Models_Retrieve_AnthropicShapeOrNotFoundError", async () => {
  const model = await anthropic().models.retrieve("claude-sonnet-4-5");
  assert.equal(model.type, "model");
  assert.equal(model.id, "claude-sonnet-4-5");
  assert.equal(typeof model.created_at, "string");
  await assert.rejects(anthropic().models.retrieve("amazon.nova-lite-v1:0"), (err) => {
    assert.ok(err instanceof NotFoundError, `got ${err?.constructor?.name}: ${err.message}`);
    assert.equal(err.status, 404);
    assert.equal(err.error.error.type, "not_found_error");
    return true;
  });
});
