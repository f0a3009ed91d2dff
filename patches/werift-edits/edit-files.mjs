// Exact text edits to files of a werift dir, shared by the .mjs edit scripts here (as textedits.py is by
// the Python ones). Each [from, to] must match exactly once; a file that already holds `marker` is skipped.
import fs from "node:fs";
import path from "node:path";

/** An edit(file, pairs) for the werift package at `dir`. */
export function fileEditor(dir, marker) {
  return (file, pairs) => {
    const f = path.join(dir, file);
    let s = fs.readFileSync(f, "utf8");
    if (s.includes(marker)) return void process.stdout.write(`${file}: already edited\n`);
    for (const [from, to] of pairs) {
      const n = s.split(from).length - 1;
      if (n !== 1) throw new Error(`${file}: expected one match, got ${n}: ${from.slice(0, 80)}`);
      s = s.replace(from, to);
    }
    fs.rmSync(f); // a new inode: never write through a hard link into another checkout's node_modules
    fs.writeFileSync(f, s);
    process.stdout.write(`${file}: edited\n`);
  };
}
