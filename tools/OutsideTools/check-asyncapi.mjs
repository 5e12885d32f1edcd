// Loads docs/contracts/asyncapi.json (or the file given) with @asyncapi/parser as shipped, its relative $refs to the
// schema files resolved from disk; prints every diagnostic and exits 1 on any error.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Parser, fromFile, DiagnosticSeverity } from '@asyncapi/parser';

const file = resolve(process.argv[2] ?? 'docs/contracts/asyncapi.json');
const { document, diagnostics } = await fromFile(new Parser(), file).parse();
const severity = { [DiagnosticSeverity.Error]: 'error', [DiagnosticSeverity.Warning]: 'warning', [DiagnosticSeverity.Information]: 'info', [DiagnosticSeverity.Hint]: 'hint' };
for (const d of diagnostics) console.log(`${severity[d.severity]} ${d.code} ${d.path.join('.')}: ${d.message}`);
const errors = diagnostics.filter(d => d.severity === DiagnosticSeverity.Error).length;
console.log(`${file}: ${errors} errors, ${diagnostics.length - errors} other diagnostics${document ? `, ${document.messages().length} messages` : ', not loaded'}`);
process.exit(errors === 0 && document ? 0 : 1);
