// Validates FHIR R4 JSON resources with FHIR.js (the npm `fhir` package, its bundled R4 structure definitions and value
// sets): a Bundle is checked whole, entries included. Arguments: resource files (*.json).
// Prints one line a file with its errors and exits 1 if any has one (or none was given).
import { readFileSync } from 'node:fs';
import { Fhir } from 'fhir';

const files = process.argv.slice(2);
if (files.length === 0) { console.error('usage: node check-fhir.mjs <resource.json> ...'); process.exit(2); }

const fhir = new Fhir();
let failures = 0;
for (const file of files) {
  const resource = JSON.parse(readFileSync(file, 'utf8'));
  const result = fhir.validate(resource, { errorOnUnexpected: true });
  const errors = result.messages.filter(m => m.severity === 'error');
  if (errors.length) failures++;
  console.log(`${file}: ${resource.resourceType} ${errors.length} errors${errors.map(e => `\n  ${e.location}: ${e.message}`).join('')}`);
}
process.exit(failures ? 1 : 0);
