// Validates Kubernetes manifests offline against the API's JSON schema, as shipped with kubernetes-models
// (https://github.com/tommy351/kubernetes-models-ts: validators generated from Kubernetes' OpenAPI document; nothing is
// fetched). Checks each document's kind and apiVersion, required fields, types and enumerations; it does not reject
// unknown fields, so the tests assert the settings that matter by value. Usage: node validate.mjs FILE.yaml...
import { readFile } from "node:fs/promises";
import { parseAllDocuments } from "yaml";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE.yaml...");
  process.exit(2);
}

let failed = false;
for (const file of files) {
  for (const document of parseAllDocuments(await readFile(file, "utf8"))) {
    if (document.errors.length > 0) {
      failed = true;
      console.error(`${file}: ${document.errors.map((e) => e.message).join("; ")}`);
      continue;
    }

    const manifest = document.toJS();
    if (manifest === null) continue;
    const name = `${file}: ${manifest.kind} ${manifest.metadata?.name}`;
    let model;
    try {
      model = (await import(`kubernetes-models/${manifest.apiVersion}/${manifest.kind}`))[manifest.kind];
    } catch {
      failed = true;
      console.error(`${name}: unknown apiVersion ${manifest.apiVersion} or kind ${manifest.kind}`);
      continue;
    }

    try {
      new model(manifest).validate();
      console.log(`valid: ${name}`);
    } catch (error) {
      failed = true;
      console.error(`${name}: ${error.message}`);
    }
  }
}
process.exit(failed ? 1 : 0);
