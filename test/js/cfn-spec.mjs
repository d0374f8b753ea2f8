// Checks the plain CloudFormation resources of a template (everything but AWS::Serverless::*,
// which the SAM schema covers) against the CloudFormation resource specification that
// @aws-cdk/aws-service-spec ships: every property name, at every depth, must exist, and every
// required property must be there. Values are not type-checked (intrinsics stand in for them).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function loadSpec() {
  const packageDir = dirname(require.resolve('@aws-cdk/aws-service-spec/package.json'));
  const db = JSON.parse(gunzipSync(readFileSync(join(packageDir, 'db.json.gz'))));
  const resources = new Map(Object.values(db.schema.resource.entities).map((e) => [e.cloudFormationType, e]));
  const types = new Map(Object.values(db.schema.typeDefinition.entities).map((d) => [d.$id, d]));
  return { resources, types };
}

let spec;
const isIntrinsic = (value) => value !== null && typeof value === 'object' && !Array.isArray(value)
  && Object.keys(value).length === 1 && /^(Ref|Fn::\w+|Condition)$/.test(Object.keys(value)[0]);

function checkObject(where, value, properties, problems) {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || isIntrinsic(value)) {
    return;
  }
  for (const [name, child] of Object.entries(value)) {
    const property = properties[name];
    if (!property) {
      problems.push(`${where}.${name}: not a property CloudFormation knows`);
    } else {
      checkValue(`${where}.${name}`, child, property.type, problems);
    }
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in value)) {
      problems.push(`${where}: required property ${name} is missing`);
    }
  }
}

function checkValue(where, value, type, problems) {
  if (!type || isIntrinsic(value)) {
    return;
  }
  if (type.type === 'ref') {
    checkObject(where, value, spec.types.get(type.reference.$ref)?.properties ?? {}, problems);
  } else if (type.type === 'array' && Array.isArray(value)) {
    value.forEach((item, i) => checkValue(`${where}[${i}]`, item, type.element, problems));
  } else if (type.type === 'map' && value && typeof value === 'object') {
    Object.entries(value).forEach(([k, item]) => checkValue(`${where}.${k}`, item, type.element, problems));
  } else if (type.type === 'union') {
    // A union of a structure and a scalar (e.g. PolicyDocument: json | ref): check as the structure.
    const ref = type.types.find((t) => t.type === 'ref');
    if (ref && value && typeof value === 'object' && !Array.isArray(value)) {
      checkValue(where, value, ref, problems);
    }
  }
}

/** Problems with the template's non-SAM resources, one readable line each. */
export function cfnSpecProblems(template) {
  spec ??= loadSpec();
  const problems = [];
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type?.startsWith('AWS::Serverless::')) {
      continue;
    }
    const definition = spec.resources.get(resource.Type);
    if (!definition) {
      problems.push(`${id}: unknown resource type ${resource.Type}`);
      continue;
    }
    checkObject(`/Resources/${id}/Properties`, resource.Properties ?? {}, definition.properties, problems);
  }
  return problems;
}
