// Parse an Argdown file with the reference parser (@argdown/core) and report what it found.
//
// Usage: node tests/argdown_parse.mjs NODE_CACHE FILE
//   NODE_CACHE: a folder holding node_modules/@argdown/core (npm install @argdown/core there)
//   FILE: the Argdown text to parse
// Prints one JSON object: {"errors": [...], "statements": [...titles], "arguments": [...titles],
// "relations": [{"from", "to", "type"}]}; exits 1 when the lexer or parser reported an error.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const [cache, file] = process.argv.slice(2);
const require = createRequire(join(resolve(cache), "package.json"));
const core = require("@argdown/core");

const app = new core.ArgdownApplication();
app.addPlugin(new core.ParserPlugin(), "parse-input");
app.addPlugin(new core.DataPlugin(), "build-model");
app.addPlugin(new core.ModelPlugin(), "build-model");
const response = app.run({
  process: ["parse-input", "build-model"],
  input: readFileSync(file, "utf8"),
  logLevel: "none",
});

const describe = (e) => ({
  message: e.message,
  line: e.token ? e.token.startLine : e.line,
  column: e.token ? e.token.startColumn : e.column,
});
const errors = [...(response.lexerErrors || []), ...(response.parserErrors || [])].map(describe);
for (const ex of response.exceptions || []) errors.push({ message: String(ex) });
const member = (m) => (m.type === "argument" ? `<${m.title}>` : `[${m.title}]`);
const out = {
  errors,
  statements: Object.keys(response.statements || {}).sort(),
  arguments: Object.keys(response.arguments || {}).sort(),
  relations: (response.relations || []).map((r) => ({
    from: member(r.from),
    to: member(r.to),
    type: r.relationType,
  })),
  data: Object.fromEntries(
    Object.entries(response.statements || {}).map(([title, ec]) => [title, ec.data || null]),
  ),
};
process.stdout.write(JSON.stringify(out) + "\n");
process.exit(errors.length ? 1 : 0);
