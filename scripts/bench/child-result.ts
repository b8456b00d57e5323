/**
 * A bench section measures in a child process (a fresh heap and its own database connections) and
 * reads back one line that starts with a marker and carries the result as JSON.
 */
import { spawn } from "node:child_process";

/** Runs `script args` under this node (and its flags); resolves the JSON after `mark` on the child's stdout. */
export function childResult(script: string, args: string[], mark: string, label: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], { stdio: ["ignore", "pipe", "inherit"], env: process.env });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith(mark));
      if (code !== 0 || !line) reject(new Error(`${label} child failed (exit ${code})\n${out.slice(-2000)}`));
      else resolve(JSON.parse(line.slice(mark.length)));
    });
  });
}
