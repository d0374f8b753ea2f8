// Small helpers for driving @aws-sdk/client-bedrock-runtime in tests: message shapes, stream
// collection, and access to the raw response headers the typed outputs do not expose.

export function userText(text) {
  return [{ role: "user", content: [{ text }] }];
}

/** The seed's tool: the most popular song on a radio station, keyed by its call sign. */
export const topSongTool = {
  tools: [{
    toolSpec: {
      name: "top_song",
      description: "Get the most popular song played on a radio station.",
      inputSchema: { json: { type: "object", properties: { sign: { type: "string" } }, required: ["sign"] } },
    },
  }],
};

export async function collect(stream) {
  const events = [];
  for await (const event of stream) {
    events.push(event);
  }
  return events;
}

/** The text of every ConverseStream text delta, joined. */
export function textOf(events) {
  return events.filter((e) => e.contentBlockDelta?.delta?.text !== undefined).map((e) => e.contentBlockDelta.delta.text).join("");
}

/** The native JSON of every InvokeModelWithResponseStream chunk. */
export async function decodeChunks(body) {
  const decoder = new TextDecoder();
  const chunks = [];
  for await (const event of body) {
    chunks.push(JSON.parse(decoder.decode(event.chunk.bytes)));
  }
  return chunks;
}

/**
 * Returns an object that receives the HTTP response headers (lower-case names) of one command once
 * it has been sent: the typed output of InvokeModel does not carry the token-count headers.
 */
export function captureResponseHeaders(command) {
  const captured = {};
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      for (const [name, value] of Object.entries(result.response?.headers ?? {})) {
        captured[name.toLowerCase()] = value;
      }
      return result;
    },
    { step: "deserialize", name: "captureResponseHeaders" },
  );
  return captured;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** CRC-32 (IEEE, reflected 0xEDB88320) of an ASCII string: the proxy key's checksum. */
function crc32(text) {
  let crc = 0xFFFFFFFF;
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i) & 0xFF;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? 0xEDB88320 ^ (crc >>> 1) : crc >>> 1;
    }
  }
  return (~crc) >>> 0;
}

/**
 * A proxy key that passes the format and checksum checks but was never issued:
 * blp_ + key id (bk_ + 8 base62) + _ + 43 base62 + _ + 6 base62 digits of the body's CRC-32.
 */
export function neverIssuedKey(keyId = "bk_Nev3rIss", secretChar = "Z") {
  const body = `blp_${keyId}_${secretChar.repeat(43)}`;
  let value = crc32(body);
  let checksum = "";
  for (let i = 0; i < 6; i++) {
    checksum = BASE62[value % 62] + checksum;
    value = Math.floor(value / 62);
  }
  return `${body}_${checksum}`;
}

/**
 * Adds `Accept: application/vnd.amazon.eventstream` to a stream command: API Gateway (REST, Lambda
 * proxy) returns a base64 body as binary only when the first Accept value is a binary media type,
 * and the SDK sends no Accept header of its own (docs/SDK.md).
 */
export function acceptEventStream(command) {
  command.middlewareStack.add(
    (next) => (args) => {
      args.request.headers.accept = "application/vnd.amazon.eventstream";
      return next(args);
    },
    { step: "build", name: "acceptEventStream" },
  );
  return command;
}
