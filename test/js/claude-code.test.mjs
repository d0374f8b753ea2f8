// The real Claude Code CLI (@anthropic-ai/claude-code, pinned in package-lock) in Bedrock mode and in its
// LLM-gateway mode (the proxy's Anthropic surface), each running a real tool round (the CLI reads a file with
// its Read tool and answers with what it found), and in Bedrock mode with a
// per-developer proxy key as its Bedrock API key, against the local stack: a streamed answer, the
// usage record with Bedrock's own token counts (prompt-cache writes included), a revoked key, a
// customer over its token quota, and a long stream within the function's timeout. The same stack
// also checks, with the AWS SDK for JavaScript, what Claude Code relies on without showing it:
// CountTokens passes through (auth, allow-list, counted as a request, never charged) and cache
// reads do not count toward token limits while cache writes do.
//
// The CLI runs with a scratch HOME and only the variables it needs (never this process's
// environment: no AWS credentials or Anthropic settings leak in), telemetry, error reporting,
// updates and other non-essential traffic off, no retries, and a hard timeout on every run.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseStreamCommand,
  CountTokensCommand,
  InvokeModelCommand,
  ThrottlingException,
} from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { startLocalStack, runAdmin, repoRoot } from "./local-stack.mjs";
import { captureResponseHeaders, collect, neverIssuedKey } from "./sdk-helpers.mjs";

const claudeBin = path.join(repoRoot, "node_modules", ".bin", "claude");
/** The allow-list the README recommends for a team on Claude Code: its three model families, any region's profile. */
const TEAM_MODELS = "anthropic.claude-opus-5*,anthropic.claude-sonnet-4*,anthropic.claude-haiku-4-5*";
/** Claude Code 2.1.328's default main model on Bedrock (a cross-region inference profile). */
const MAIN_MODEL = "us.anthropic.claude-opus-5-5";
const HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0";
/** The function timeout of this file's stack: short, so the long-stream test shows the real bound quickly. */
const FUNCTION_TIMEOUT_S = 10;
const month = new Date().toISOString().slice(0, 7);

let stack;
let scratch;
const clients = [];

before(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), "claude-code-test-"));
  stack = await startLocalStack({ extraArgs: ["--timeout", String(FUNCTION_TIMEOUT_S)] });
});

after(async () => {
  for (const c of clients) {
    c.destroy();
  }
  await stack?.stop();
  if (scratch) {
    rmSync(scratch, { recursive: true, force: true });
  }
});

/** A customer created and keyed with the admin CLI, as the README's per-developer workflow does. */
async function developer(id, ...limits) {
  await runAdmin(stack.dynamoUrl, ["customers", "create", "--name", id, "--id", id, ...limits, "--format", "json"]);
  const issued = JSON.parse(await runAdmin(stack.dynamoUrl, ["keys", "issue", id, "--format", "json"]));
  return { id, key: issued.apiKey, keyId: issued.keyId };
}

/**
 * How the CLI reaches the proxy: Bedrock mode (the key as its Bedrock API key), or gateway mode on the Anthropic
 * surface (ANTHROPIC_BASE_URL, the key as ANTHROPIC_AUTH_TOKEN, sent as a bearer token, or as ANTHROPIC_API_KEY,
 * sent as x-api-key).
 */
function modeEnv(mode, key) {
  const base = stack.functionUrl.replace(/\/$/, "");
  switch (mode) {
    case "bedrock":
      return { CLAUDE_CODE_USE_BEDROCK: "1", AWS_BEARER_TOKEN_BEDROCK: key, ANTHROPIC_BEDROCK_BASE_URL: base, AWS_REGION: "us-east-1" };
    case "gateway-auth-token":
      return { ANTHROPIC_BASE_URL: base, ANTHROPIC_AUTH_TOKEN: key };
    case "gateway-api-key":
      return { ANTHROPIC_BASE_URL: base, ANTHROPIC_API_KEY: key };
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

/** Runs `claude -p <prompt>` non-interactively against the Function URL; never rejects. */
function runClaude(key, prompt, { args = [], env = {}, timeoutMs = 90_000, mode = "bedrock", cwd } = {}) {
  const home = mkdtempSync(path.join(scratch, "home-"));
  return new Promise((resolve) => {
    const started = Date.now();
    const child = execFile(claudeBin, ["-p", prompt, ...args], {
      cwd: cwd ?? home,
      timeout: timeoutMs,
      killSignal: "SIGKILL",
      maxBuffer: 32 * 1024 * 1024,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        ...modeEnv(mode, key),
        DISABLE_TELEMETRY: "1",
        DISABLE_ERROR_REPORTING: "1",
        DISABLE_AUTOUPDATER: "1",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        // The CLI retries 429 and 5xx with backoff; a test wants the first answer.
        CLAUDE_CODE_MAX_RETRIES: "0",
        ...env,
      },
    }, (error, stdout, stderr) => resolve({
      code: error ? error.code : 0, signal: error?.signal ?? null, stdout, stderr, ms: Date.now() - started,
    }));
    child.stdin.end();
  });
}

/** The stream-json lines of a run, and the text its content_block_delta events carried. */
function streamJson(run) {
  const lines = run.stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));
  // Text deltas only: with thinking on (Claude Code's default) the answer also streams thinking deltas.
  const deltas = lines.filter((l) => l.type === "stream_event" && l.event?.type === "content_block_delta" && l.event.delta?.type === "text_delta")
    .map((l) => l.event.delta.text);
  return { lines, deltas, text: deltas.join(""), result: lines.find((l) => l.type === "result") };
}

/**
 * The customer's usage report once at least `count` records match `where` and the monthly totals have
 * caught up with the records (each record is written after its answer, then added to the totals).
 */
async function usageOnceRecorded(customerId, count, where = () => true) {
  let report;
  for (let i = 0; i < 60; i++) {
    report = JSON.parse(await runAdmin(stack.dynamoUrl, ["usage", "report", customerId, "--month", month, "--records", "--format", "json"]));
    const records = report.records ?? [];
    if (records.filter(where).length >= count && report.totals?.requests === records.length) {
      return report;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`fewer than ${count} matching usage records for ${customerId}: ${JSON.stringify(report)}`);
}

function sdk(key) {
  const client = new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint: stack.functionUrl,
    token: { token: key },
    authSchemePreference: ["httpBearerAuth"],
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });
  clients.push(client);
  return client;
}

const describe = (run) => `exit ${run.code} after ${run.ms} ms\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`;

test("claude -p streams an answer through the proxy, billed with Bedrock's token counts and cache writes", async (t) => {
  const alice = await developer("dev-alice", "--models", TEAM_MODELS, "--rpm", "60", "--tpm", "1000000");
  const prompt = "Summarise the proxy in one line, please";

  const run = await runClaude(alice.key, prompt, { args: ["--output-format", "stream-json", "--verbose", "--include-partial-messages"] });
  assert.equal(run.code, 0, describe(run));
  const { deltas, text, result } = streamJson(run);

  // Streamed: the answer arrived as several deltas, in order, and the CLI's final result is their text.
  assert.ok(deltas.length >= 3, `expected a streamed answer, got ${deltas.length} deltas`);
  assert.ok(text.startsWith("Echo: "), text.slice(0, 200));
  assert.ok(text.trimEnd().endsWith(prompt), text.slice(-200));
  assert.equal(result.is_error, false);
  assert.equal(result.result, text);

  // Billing: the proxy's record of the answer holds exactly the counts Bedrock (the simulator) sent the CLI.
  // Claude Code marks its system prompt and tools with cache_control, so the first answer writes the cache.
  const isAnswer = (r) => r.modelId === MAIN_MODEL && r.surface === "native-invoke-with-response-stream";
  const report = await usageOnceRecorded(alice.id, 1, isAnswer);
  const answer = report.records.find(isAnswer);
  assert.equal(answer.httpStatus, 200);
  assert.equal(answer.keyId, alice.keyId);
  assert.deepEqual(
    [answer.inputTokens, answer.outputTokens, answer.cacheWriteInputTokens, answer.cacheReadInputTokens],
    [result.usage.input_tokens, result.usage.output_tokens, result.usage.cache_creation_input_tokens, result.usage.cache_read_input_tokens]);
  assert.ok(answer.cacheWriteInputTokens > 0, "Claude Code's cache_control prompt wrote the cache");
  // Every call the CLI made (its model probes included) went to an allowed model and was billed.
  for (const r of report.records) {
    assert.equal(r.httpStatus, 200, JSON.stringify(r));
    assert.ok(r.inputTokens !== null, JSON.stringify(r));
  }
  const sum = (field) => report.records.reduce((n, r) => n + r[field], 0);
  assert.equal(report.totals.cacheWriteInputTokens, sum("cacheWriteInputTokens"));
  assert.equal(report.totals.inputTokens, sum("inputTokens"));
  t.diagnostic(`Claude Code called: ${[...new Set(report.records.map((r) => `${r.surface} ${r.modelId}`))].join(", ")}`);
});

test("a revoked key: the CLI fails with the proxy's authentication error", async (t) => {
  const bob = await developer("dev-bob", "--models", TEAM_MODELS);
  await runAdmin(stack.dynamoUrl, ["keys", "revoke", bob.keyId]);

  const run = await runClaude(bob.key, "Hello there");
  t.diagnostic(`revoked key, the CLI printed: ${JSON.stringify(run.stdout.trim() || run.stderr.trim())}`);
  assert.notEqual(run.code, 0, describe(run));
  assert.equal(run.signal, null, "the CLI ended by itself, not by the test's timeout");
  assert.match(run.stdout + run.stderr, /401/);
  assert.match(run.stdout + run.stderr, /API key/i);
});

test("a developer over the monthly token quota: the CLI surfaces the proxy's 429", async (t) => {
  const carol = await developer("dev-carol", "--models", TEAM_MODELS, "--monthly-quota", "1");
  // One small call uses the quota up (a request is admitted while the month is under its quota).
  await sdk(carol.key).send(new InvokeModelCommand({
    modelId: `us.${HAIKU}`, contentType: "application/json",
    body: JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 1, messages: [{ role: "user", content: "hi" }] }),
  }));

  const run = await runClaude(carol.key, "Hello there");
  t.diagnostic(`over quota, the CLI printed: ${JSON.stringify(run.stdout.trim() || run.stderr.trim())}`);
  assert.notEqual(run.code, 0, describe(run));
  assert.equal(run.signal, null, "no retry loop: the CLI ended by itself");
  assert.match(run.stdout + run.stderr, /429/);
  assert.match(run.stdout + run.stderr, /Monthly token quota of 1 tokens is used up/);
});

test("a stream lasting most of the function timeout is delivered whole", async () => {
  // No timeout inside the proxy ends a stream early: only the invocation deadline (the function's
  // timeout less a 2 s margin for a visible ending and the usage record). 6 deltas 1 s apart under
  // a 10 s function timeout. The sim. prefix shapes the simulator's answer; frank has no allow-list.
  const frank = await developer("dev-frank");
  const model = `sim.delay:1000.chunks:6.${MAIN_MODEL}`;

  const run = await runClaude(frank.key, "Tell me a long story", {
    args: ["--output-format", "stream-json", "--verbose", "--include-partial-messages"],
    env: { ANTHROPIC_MODEL: model, ANTHROPIC_DEFAULT_HAIKU_MODEL: model },
  });
  assert.equal(run.code, 0, describe(run));
  const { deltas, text, result } = streamJson(run);
  assert.equal(deltas.length, 6);
  assert.ok(text.trimEnd().endsWith("Tell me a long story"), text.slice(-200));
  assert.equal(result.is_error, false);

  const isStream = (r) => r.surface === "native-invoke-with-response-stream";
  const report = await usageOnceRecorded(frank.id, 1, isStream);
  const record = report.records.find(isStream);
  assert.equal(record.httpStatus, 200);
  assert.ok(record.latencyMs >= 6000, `the stream lasted ${record.latencyMs} ms`);
  assert.ok(record.latencyMs < (FUNCTION_TIMEOUT_S - 2) * 1000, `the stream lasted ${record.latencyMs} ms`);
});

test("CountTokens passes through with the key and allow-list, counted as a request, never charged", async () => {
  const dave = await developer("dev-dave", "--models", TEAM_MODELS, "--rpm", "2");
  const client = sdk(dave.key);
  const body = new TextEncoder().encode(JSON.stringify({
    anthropic_version: "bedrock-2023-05-31", max_tokens: 50, messages: [{ role: "user", content: "one two three four" }],
  }));

  // The simulator's rule: 4 words + 3.
  const out = await client.send(new CountTokensCommand({ modelId: HAIKU, input: { invokeModel: { body } } }));
  assert.equal(out.inputTokens, 7);
  await assert.rejects(
    sdk(neverIssuedKey()).send(new CountTokensCommand({ modelId: HAIKU, input: { invokeModel: { body } } })),
    (e) => e.$metadata.httpStatusCode === 401 && e.name === "UnrecognizedClientException");
  await assert.rejects(
    client.send(new CountTokensCommand({ modelId: "amazon.nova-lite-v1:0", input: { converse: { messages: [{ role: "user", content: [{ text: "x" }] }] } } })),
    (e) => e instanceof AccessDeniedException && /not allowed/.test(e.message));
  // Two requests a minute: the refusal by the allow-list was not counted, so this is the second counted request…
  await client.send(new CountTokensCommand({ modelId: HAIKU, input: { invokeModel: { body } } }));
  // …and the third is over the limit.
  await assert.rejects(client.send(new CountTokensCommand({ modelId: HAIKU, input: { invokeModel: { body } } })),
    (e) => e instanceof ThrottlingException);

  const isCount = (r) => r.surface === "native-count-tokens" && r.httpStatus === 200;
  const report = await usageOnceRecorded(dave.id, 2, isCount);
  for (const r of report.records.filter(isCount)) {
    assert.deepEqual([r.modelId, r.inputTokens, r.outputTokens], [HAIKU, 0, 0]);
  }
  assert.equal(report.totals.inputTokens, 0);
});

test("prompt-cache reads are billed but do not count toward token limits; cache writes do", async () => {
  const warm = await developer("dev-warm");
  // Admission reserves the whole prompt (about 620 estimated tokens here, the cached prefix included: the proxy
  // cannot know what Bedrock will read from its cache) plus max_tokens, and settles to Bedrock's counts, where
  // cache reads never count. 900 a minute fits one reservation on top of a few settled reads, but not on top of
  // a settled 300-token cache write.
  const erin = await developer("dev-erin", "--tpm", "900");
  const prefix = (word) => Array.from({ length: 300 }, (_, i) => `${word}${i}`).join(" ");
  const body = (system) => JSON.stringify({
    anthropic_version: "bedrock-2023-05-31", max_tokens: 10,
    system: [{ type: "text", text: system, cache_control: { type: "ephemeral" } }],
    messages: [{ role: "user", content: "Hello there" }],
  });
  const invoke = async (client, payload) => {
    const command = new InvokeModelCommand({ modelId: `us.${HAIKU}`, contentType: "application/json", body: payload });
    const headers = captureResponseHeaders(command);
    const out = JSON.parse(new TextDecoder().decode((await client.send(command)).body));
    return { usage: out.usage, remaining: Number(headers["x-ratelimit-remaining-tokens"]) };
  };

  // Another developer writes the 300-token prefix; erin then reads it three times under a 900 tokens/minute
  // limit (were reads counted, the second read's reservation would no longer fit).
  assert.equal((await invoke(sdk(warm.key), body(prefix("alpha")))).usage.cache_creation_input_tokens, 300);
  const client = sdk(erin.key);
  // A reservation is settled to Bedrock's counts after the answer (with the monthly totals, in one write):
  // wait for that before the next request, or the unsettled 630 tokens would still count.
  const settled = async (requests) => {
    for (let i = 0; i < 60; i++) {
      const report = JSON.parse(await runAdmin(stack.dynamoUrl, ["usage", "report", erin.id, "--month", month, "--format", "json"]));
      if (report.totals?.requests === requests) {
        return;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  for (let i = 0; i < 3; i++) {
    const { usage } = await invoke(client, body(prefix("alpha")));
    assert.deepEqual([usage.input_tokens, usage.cache_read_input_tokens, usage.cache_creation_input_tokens, usage.output_tokens], [5, 300, 0, 3]);
    await settled(i + 1);
  }
  // A new prefix is written: 300 cache-write tokens count, so the next request is over the limit. The
  // tokens are settled after the answer (with the monthly totals, in one write), so wait for the totals:
  // another worker could otherwise admit the next request first.
  assert.equal((await invoke(client, body(prefix("beta")))).usage.cache_creation_input_tokens, 300);
  await settled(4);
  await assert.rejects(invoke(client, body(prefix("beta"))), (e) => e instanceof ThrottlingException && /tokens per minute/.test(e.message));

  const ok = (r) => r.httpStatus === 200;
  const report = await usageOnceRecorded(erin.id, 4, ok);
  assert.deepEqual(report.records.filter(ok).map((r) => [r.cacheReadInputTokens, r.cacheWriteInputTokens]).sort(),
    [[0, 300], [300, 0], [300, 0], [300, 0]]);
  assert.equal(report.totals.cacheReadInputTokens, 900);
  assert.equal(report.totals.cacheWriteInputTokens, 300);
});

test("Converse cachePoint: the stream's metadata and the usage record carry cacheWrite then cacheRead tokens", async () => {
  const gina = await developer("dev-gina", "--models", TEAM_MODELS);
  const client = sdk(gina.key);
  // "Follow the house style guide." (5 words) is before the cache point, "Hello there" after it.
  const request = () => new ConverseStreamCommand({
    modelId: `global.${HAIKU}`,
    system: [{ text: "Follow the house style guide." }, { cachePoint: { type: "default" } }],
    messages: [{ role: "user", content: [{ text: "Hello there" }] }],
  });
  const usageOf = async () => (await collect((await client.send(request())).stream)).find((e) => e.metadata).metadata.usage;

  const first = await usageOf();
  const second = await usageOf();
  assert.deepEqual([first.inputTokens, first.cacheWriteInputTokens, first.cacheReadInputTokens, first.outputTokens], [5, 5, 0, 3]);
  assert.deepEqual([second.inputTokens, second.cacheWriteInputTokens, second.cacheReadInputTokens, second.outputTokens], [5, 0, 5, 3]);

  const report = await usageOnceRecorded(gina.id, 2);
  assert.deepEqual(report.records.map((r) => [r.surface, r.inputTokens, r.cacheWriteInputTokens, r.cacheReadInputTokens]).sort(),
    [["native-converse-stream", 5, 0, 5], ["native-converse-stream", 5, 5, 0]]);
  assert.deepEqual([report.totals.cacheWriteInputTokens, report.totals.cacheReadInputTokens], [5, 5]);
});

/**
 * A real tool round: a file holding a random string only this run knows; Claude Code is asked to read it, the
 * simulator asks for the file (a Read tool_use), the CLI runs its Read tool and sends the result back, and the
 * answer quotes it. The printed answer must contain the random string, which exists nowhere but in the file.
 */
async function toolRound(t, mode, developerId) {
  const dev = await developer(developerId, "--models", TEAM_MODELS);
  const dir = mkdtempSync(path.join(scratch, "files-"));
  const secret = `blp-${randomBytes(12).toString("hex")}`;
  const file = path.join(dir, "secret-note.txt");
  writeFileSync(file, `${secret}\n`);

  const run = await runClaude(dev.key, `Read the file ${file} and tell me exactly what it says.`, {
    mode, args: ["--allowedTools", "Read"], cwd: dir,
  });
  t.diagnostic(`${mode}: the CLI printed ${JSON.stringify(run.stdout.trim().slice(0, 300))}`);
  assert.equal(run.code, 0, describe(run));
  assert.ok(run.stdout.includes(secret), describe(run));

  // Both rounds were billed to this developer, on the surface the mode speaks.
  const surface = mode === "bedrock" ? "native-invoke-with-response-stream" : "anthropic";
  const report = await usageOnceRecorded(dev.id, 2, (r) => r.surface === surface && r.httpStatus === 200);
  for (const r of report.records) {
    assert.equal(r.httpStatus, 200, JSON.stringify(r));
    assert.equal(r.keyId, dev.keyId);
  }
  if (mode !== "bedrock") {
    // The allow-list and the usage records see the Bedrock id the alias names, never the Anthropic name.
    assert.ok(report.records.every((r) => r.modelId.includes("anthropic.claude")), JSON.stringify(report.records.map((r) => r.modelId)));
  }
}

test("gateway mode (ANTHROPIC_AUTH_TOKEN): Claude Code reads a file through its Read tool and prints what it holds", async (t) => {
  await toolRound(t, "gateway-auth-token", "dev-gw-token");
});

test("gateway mode (ANTHROPIC_API_KEY): the same tool round with the key sent as x-api-key", async (t) => {
  await toolRound(t, "gateway-api-key", "dev-gw-apikey");
});

test("Bedrock mode: the same tool round through the Bedrock-native paths", async (t) => {
  await toolRound(t, "bedrock", "dev-bedrock-tools");
});
