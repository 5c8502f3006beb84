// chrono.js STORIES.jsonl: chrono-node's dates-only rate over the stories'
// texts (each parsed against its reference date), best of 3 passes; prints
// stories/s, MB/s and the number of dates found.
const fs = require("fs");
const chrono = require("chrono-node");
const lines = fs.readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l.trim());
const stories = lines.map((l) => JSON.parse(l)).map((r) => ({text: r.text, ref: new Date((r.date || "1987-03-01").slice(0, 10))}));
const bytes = stories.reduce((n, s) => n + Buffer.byteLength(s.text), 0);
let best = Infinity, found = 0;
for (let pass = 0; pass < 3; pass++) {
  const t0 = process.hrtime.bigint();
  found = 0;
  for (const s of stories) found += chrono.parse(s.text, s.ref).length;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (secs < best) best = secs;
}
console.log(JSON.stringify({stories: stories.length, bytes, seconds: best, stories_per_s: stories.length / best,
  mb_per_s: bytes / 1e6 / best, dates: found}));
