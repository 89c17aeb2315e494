// Validates Kubernetes objects offline: multi-document YAML on stdin (what `kubectl kustomize`
// prints), each object against the schema of its apiVersion and kind bundled in kubernetes-models.
// Exits non-zero on an invalid object, on an apiVersion/kind it has no schema for (a typo, or a
// custom resource), on no objects at all, and when the checks asked for below do not hold.
//
//   kubectl kustomize k8s/base | node k8s/validate/validate.js [--roles a,b,...] [--expect Kind/name ...]
//
// --roles a,b,...    every one of these roles is in the ROLES of some Deployment, and no Deployment
//                    runs `mongo` (the embedded database is for dev mode, not for a cluster)
// --expect Kind/name such an object is there (repeatable)
// Always: MONGO_URL is never written into a manifest, only taken from a Secret (secretKeyRef).
import { parseAllDocuments } from "yaml";

const API_VERSION = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;

function parseArgs(argv) {
  const options = { roles: [], expect: [] };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === "--roles" && value) {
      options.roles = value.split(",").map((role) => role.trim()).filter(Boolean);
      i++;
    } else if (argv[i] === "--expect" && value) {
      options.expect.push(value);
      i++;
    } else {
      throw new Error(`unknown argument: ${argv[i]}`);
    }
  }
  return options;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** The model class of an apiVersion and kind, or undefined when kubernetes-models has none. */
async function modelOf(apiVersion, kind) {
  if (typeof apiVersion !== "string" || !API_VERSION.test(apiVersion) || typeof kind !== "string") {
    return undefined;
  }
  let models;
  try {
    models = await import(`kubernetes-models/${apiVersion}`);
  } catch {
    return undefined;
  }
  const model = models[kind];
  // Each module also exports the types objects are made of (Container, PodSpec…): only top-level
  // kinds carry their own apiVersion and kind.
  return model && model.apiVersion === apiVersion && model.kind === kind ? model : undefined;
}

function containersOf(object) {
  const pod = object.spec?.template?.spec ?? {};
  return [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const documents = parseAllDocuments(await readStdin());
  const failures = [];
  const seen = new Set();
  const rolesRun = new Set();
  let count = 0;

  for (const document of documents) {
    if (document.errors.length > 0) {
      failures.push(`YAML: ${document.errors.map((error) => error.message).join("; ")}`);
      continue;
    }
    const object = document.toJS();
    if (object === null || object === undefined) continue;
    count++;
    const { apiVersion, kind } = object;
    const id = `${kind}/${object.metadata?.name}`;
    seen.add(id);
    const model = await modelOf(apiVersion, kind);
    if (!model) {
      failures.push(`${id}: no schema for apiVersion ${apiVersion}, kind ${kind}`);
      continue;
    }
    let valid = true;
    try {
      new model(object).validate();
    } catch (error) {
      failures.push(`${id} (${apiVersion}): ${error.message}`);
      valid = false;
    }
    for (const container of containersOf(object)) {
      for (const variable of container.env ?? []) {
        if (variable.name === "MONGO_URL" && !variable.valueFrom?.secretKeyRef) {
          failures.push(`${id}: MONGO_URL must come from a Secret (valueFrom.secretKeyRef)`);
        }
        if (kind === "Deployment" && variable.name === "ROLES" && typeof variable.value === "string") {
          variable.value.split(",").forEach((role) => rolesRun.add(role.trim()));
        }
      }
    }
    if (valid) console.log(`valid ${id} (${apiVersion})`);
  }

  if (count === 0) failures.push("no objects in the input");
  for (const role of options.roles) {
    if (!rolesRun.has(role)) failures.push(`no Deployment runs the ${role} role`);
  }
  if (options.roles.length > 0 && rolesRun.has("mongo")) {
    failures.push("a Deployment runs the mongo role: give the data roles a MongoDB (MONGO_URL) instead");
  }
  for (const id of options.expect) {
    if (!seen.has(id)) failures.push(`missing ${id}`);
  }

  for (const failure of failures) console.error(`INVALID ${failure}`);
  console.log(`objects: ${count}, problems: ${failures.length}`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(`validate: ${error.message}`);
  process.exitCode = 2;
});
