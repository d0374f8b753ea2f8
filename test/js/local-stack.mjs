// Starts the local stack (dynalite, Bedrock simulator, the real bootstrap behind the Function URL and
// API Gateway fronts) as one child process on free loopback ports, and runs the admin CLI against
// its DynamoDB. Build first:
//   make build-ProxyFunction ARTIFACTS_DIR=$PWD/artifacts/bootstrap   (Native AOT, as deployed)
//   dotnet build src/BedrockLambdaProxy.LocalHost -c Release
//   dotnet build src/BedrockLambdaProxy.Admin -c Release
// or point LOCALHOST_DLL, BOOTSTRAP_PATH and ADMIN_DLL at other builds.
import { spawn, execFile } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import path from "node:path";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const localHostDll = process.env.LOCALHOST_DLL ??
  path.join(repoRoot, "src/BedrockLambdaProxy.LocalHost/bin/Release/net10.0/BedrockLambdaProxy.LocalHost.dll");
export const bootstrapPath = process.env.BOOTSTRAP_PATH ?? path.join(repoRoot, "artifacts/bootstrap/bootstrap");
export const adminDll = process.env.ADMIN_DLL ??
  path.join(repoRoot, "src/BedrockLambdaProxy.Admin/bin/Release/net10.0/bedrock-proxy-admin.dll");

/** Where each printed line's value is found, by its label. */
const labels = {
  "Function URL:": "functionUrl",
  "API Gateway:": "apiUrl",
  "Bedrock:": "bedrockUrl",
  "DynamoDB:": "dynamoUrl",
  "Demo API key:": "demoKey",
};

/**
 * Spawns the stack and resolves once it prints "Ready.", with its URLs, the demo customer's key and
 * stop(). Every line the stack writes (worker logs included) is kept in `lines` for diagnosis.
 * `extraArgs` go to the host as they are (e.g. ["--timeout", "12"] for the function timeout).
 */
export async function startLocalStack({ readyTimeoutMs = 90_000, extraArgs = [] } = {}) {
  for (const [what, file] of [["LocalHost", localHostDll], ["bootstrap", bootstrapPath]]) {
    if (!existsSync(file)) {
      throw new Error(`no ${what} at ${file}: build it (see test/js/local-stack.mjs) or set LOCALHOST_DLL / BOOTSTRAP_PATH`);
    }
  }
  const child = spawn("dotnet", [localHostDll, "--bootstrap", bootstrapPath,
    "--function-url-port", "0", "--api-port", "0", "--simulator-port", "0", "--dynamodb-port", "0", ...extraArgs],
  { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const stack = { child, lines: [], stop: () => stopChild(child, exited) };
  // A test run that ends without its after() hook (an uncaught error, process.exit) still stops
  // the host; SIGTERM, not SIGKILL, so the host in turn stops its workers, dynalite and the simulator.
  const onExit = () => child.kill("SIGTERM");
  process.once("exit", onExit);
  exited.then(() => process.off("exit", onExit));
  createInterface({ input: child.stderr }).on("line", (line) => stack.lines.push(line));

  try {
    await new Promise((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`local stack not ready within ${readyTimeoutMs} ms`)), readyTimeoutMs);
      exited.then(({ code }) => reject(new Error(`local stack exited with ${code} before it was ready:\n${stack.lines.join("\n")}`)));
      createInterface({ input: child.stdout }).on("line", (line) => {
        stack.lines.push(line);
        for (const [label, field] of Object.entries(labels)) {
          if (line.startsWith(label)) {
            stack[field] = line.slice(label.length).trim().split(/\s+/)[0];
          }
        }
        if (line === "Ready.") {
          clearTimeout(guard);
          resolve();
        }
      });
    });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  for (const field of Object.values(labels)) {
    if (!stack[field]) {
      await stack.stop();
      throw new Error(`the local stack did not print ${field}:\n${stack.lines.join("\n")}`);
    }
  }
  return stack;
}

/** SIGTERM (the host then kills its workers, dynalite and the simulator), SIGKILL after 15 s. */
async function stopChild(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  child.kill("SIGTERM");
  const guard = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(guard);
}

/** Runs the admin CLI against the stack's DynamoDB; resolves with stdout, rejects with stderr on a non-zero exit. */
export function runAdmin(dynamoUrl, args) {
  if (!existsSync(adminDll)) {
    throw new Error(`no admin CLI at ${adminDll}: run \`dotnet build src/BedrockLambdaProxy.Admin -c Release\` or set ADMIN_DLL`);
  }
  return new Promise((resolve, reject) => {
    execFile("dotnet", [adminDll, "--endpoint", dynamoUrl, ...args], { cwd: repoRoot, timeout: 60_000 },
      (error, stdout, stderr) => error
        ? reject(new Error(`bedrock-proxy-admin ${args.join(" ")} failed (${error.code}): ${stderr}`))
        : resolve(stdout));
  });
}
