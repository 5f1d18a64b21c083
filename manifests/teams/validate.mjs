// Validates a Teams app manifest against the JSON schema its $schema names, offline: @microsoft/app-manifest ships
// the schemas (https://www.npmjs.com/package/@microsoft/app-manifest). Usage: node validate.mjs path/to/manifest.json
// fs-extra is a dependency here only because @microsoft/app-manifest 1.1.2 needs it at run time but declares it as a dev dependency.
import { readFile } from "node:fs/promises";
import { AppManifestUtils } from "@microsoft/app-manifest";

const path = process.argv[2];
if (!path) {
  console.error("usage: node validate.mjs path/to/manifest.json");
  process.exit(2);
}

const manifest = JSON.parse(await readFile(path, "utf8"));
const failures = await AppManifestUtils.validateAgainstSchema(manifest);
if (failures.length > 0) {
  for (const failure of failures) console.error(failure);
  process.exit(1);
}
console.log(`valid: ${path} (manifest ${manifest.manifestVersion})`);
