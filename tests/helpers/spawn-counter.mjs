// Test-only preload (NODE_OPTIONS="--import <this file>"): appends one JSON line to
// $RINGFLOW_SPAWN_LOG for every child process the Node process starts, so a test can prove a
// process (the media gateway) spawned nothing. Every async spawn goes through
// ChildProcess.prototype.spawn (spawn, exec, execFile, fork); the sync variants are wrapped too.
import cp from "node:child_process";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";

const log = process.env.RINGFLOW_SPAWN_LOG;
if (log) {
  const record = (kind, file) => fs.appendFileSync(log, `${JSON.stringify({ pid: process.pid, at: Date.now(), kind, file })}\n`);
  record("loaded", null);
  const spawn = cp.ChildProcess.prototype.spawn;
  cp.ChildProcess.prototype.spawn = function (options) {
    record("spawn", options?.file ?? null);
    return spawn.call(this, options);
  };
  for (const name of ["spawnSync", "execSync", "execFileSync"]) {
    const original = cp[name];
    cp[name] = function (...args) {
      record(name, String(args[0]));
      return original.apply(this, args);
    };
  }
  syncBuiltinESMExports();
}
