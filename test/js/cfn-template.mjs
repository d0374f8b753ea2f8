// Loads template.yaml (CloudFormation short-form tags included) and the facts the template must
// agree with: the environment variables the function reads and the AWS calls its code makes.
// template.test.mjs holds the checks and the tests; this file only reads things.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname, resolve, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, CORE_SCHEMA, defineScalarTag, defineSequenceTag, defineMappingTag } from 'js-yaml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Short form -> long form, as CloudFormation itself expands them.
const shortForms = {
  '!Ref': 'Ref', '!Condition': 'Condition', '!GetAtt': 'Fn::GetAtt', '!Sub': 'Fn::Sub',
  '!Join': 'Fn::Join', '!If': 'Fn::If', '!Equals': 'Fn::Equals', '!Not': 'Fn::Not',
  '!And': 'Fn::And', '!Or': 'Fn::Or', '!Select': 'Fn::Select', '!Split': 'Fn::Split',
  '!FindInMap': 'Fn::FindInMap', '!ImportValue': 'Fn::ImportValue', '!Base64': 'Fn::Base64',
  '!GetAZs': 'Fn::GetAZs', '!Cidr': 'Fn::Cidr', '!Transform': 'Fn::Transform',
};

function scalarValue(tag, key, text) {
  // !GetAtt Resource.Attribute is the one short form whose scalar is split into a list.
  if (tag === '!GetAtt') {
    const dot = text.indexOf('.');
    return { [key]: dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)] };
  }
  return { [key]: text };
}

const cfnTags = Object.entries(shortForms).flatMap(([tag, key]) => [
  defineScalarTag(tag, { resolve: (text) => scalarValue(tag, key, text), identify: () => false }),
  defineSequenceTag(tag, {
    create: () => [],
    addItem: (items, item) => { items.push(item); },
    finalize: (items) => ({ [key]: items }),
    identify: () => false,
  }),
  defineMappingTag(tag, {
    create: () => new Map(),
    addPair: (pairs, k, v) => { pairs.set(k, v); return ''; },
    has: (pairs, k) => pairs.has(k),
    keys: (result) => Object.keys(result[key]),
    get: (result, k) => result[key][k],
    finalize: (pairs) => ({ [key]: Object.fromEntries(pairs) }),
    identify: () => false,
  }),
]);

export const cfnSchema = CORE_SCHEMA.withTags(...cfnTags);

/** Parses CloudFormation YAML into the JSON form (long-form intrinsics). */
export function parseTemplate(text, filename = 'template.yaml') {
  return load(text, { schema: cfnSchema, filename });
}

export function loadTemplate(path = join(repoRoot, 'template.yaml')) {
  return parseTemplate(readFileSync(path, 'utf8'), path);
}

/** The SAM schema: ../shared/schemas beside the repository (as CI lays it out), else $SAM_SCHEMA. */
export function samSchemaPath() {
  const beside = resolve(repoRoot, '..', 'shared', 'schemas', 'sam.schema.json');
  if (existsSync(beside)) {
    return beside;
  }
  if (process.env.SAM_SCHEMA && existsSync(process.env.SAM_SCHEMA)) {
    return process.env.SAM_SCHEMA;
  }
  throw new Error(`SAM schema not found at ${beside}; set SAM_SCHEMA to its path`);
}

/** Environment variable names declared as `public const string X = "NAME";` in ProxySettings.cs. */
export function readSettingsNames(path = join(repoRoot, 'src', 'BedrockLambdaProxy', 'Config', 'ProxySettings.cs')) {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/public\s+const\s+string\s+\w+\s*=\s*"([^"]+)"\s*;/g)].map((m) => m[1]);
}

function csFiles(dir) {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.cs'))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .filter((p) => !/[/\\](bin|obj)[/\\]/.test(p));
}

// Low-level DynamoDB client methods and the IAM action each one needs.
const dynamoCalls = {
  GetItemAsync: 'dynamodb:GetItem', PutItemAsync: 'dynamodb:PutItem',
  UpdateItemAsync: 'dynamodb:UpdateItem', DeleteItemAsync: 'dynamodb:DeleteItem',
  QueryAsync: 'dynamodb:Query', ScanAsync: 'dynamodb:Scan',
  BatchGetItemAsync: 'dynamodb:BatchGetItem', BatchWriteItemAsync: 'dynamodb:BatchWriteItem',
  DescribeTableAsync: 'dynamodb:DescribeTable', CreateTableAsync: 'dynamodb:CreateTable',
  DescribeTimeToLiveAsync: 'dynamodb:DescribeTimeToLive', UpdateTimeToLiveAsync: 'dynamodb:UpdateTimeToLive',
  TransactWriteItemsAsync: 'dynamodb:TransactWriteItems', TransactGetItemsAsync: 'dynamodb:TransactGetItems',
};

/** DynamoDB actions the function's project calls: { action: [files that call it, relative to the project] }. */
export function dynamoActionsUsedIn(texts) {
  const used = {};
  for (const [file, text] of texts) {
    for (const [method, action] of Object.entries(dynamoCalls)) {
      if (text.includes(`.${method}(`)) {
        (used[action] ??= []).push(file);
      }
    }
  }
  return used;
}

// Bedrock operations (by API name or by their Runtime URL path) and the IAM action each needs.
// Converse and ConverseStream have no IAM actions of their own.
const bedrockOperations = [
  [/\bInvokeModelWithResponseStream\b|\/invoke-with-response-stream\b/, 'bedrock:InvokeModelWithResponseStream'],
  [/\bConverseStream\b|\/converse-stream\b/, 'bedrock:InvokeModelWithResponseStream'],
  [/\bInvokeModel\b|\/invoke(?![-\w])/, 'bedrock:InvokeModel'],
  [/\bConverse\b|\/converse(?![-\w])/, 'bedrock:InvokeModel'],
  [/\bCountTokens\b|\/count-tokens\b/, 'bedrock:CountTokens'],
];

export function bedrockActionsUsedIn(texts) {
  const used = {};
  for (const [file, text] of texts) {
    for (const [pattern, action] of bedrockOperations) {
      if (pattern.test(text)) {
        (used[action] ??= []).push(file);
      }
    }
  }
  return used;
}

/** [path relative to dir with / separators, text] for every .cs file under dir. */
export function readSources(dir) {
  return csFiles(dir).map((file) => [relative(dir, file).split(sep).join('/'), readFileSync(file, 'utf8')]);
}

export function functionSourceDir() {
  return join(repoRoot, 'src', 'BedrockLambdaProxy');
}

const keysIn = (text) => [...text.matchAll(/KeySchemaElement\(\s*"(\w+)"\s*,\s*KeyType\.(HASH|RANGE)\s*\)/g)]
  .map((m) => ({ name: m[1], type: m[2] }));

/**
 * The tables as the code creates them locally (Storage/TableDefinitions.cs: one
 * `static CreateTableRequest X(string tableName)` per table), so template.yaml can be held to the
 * same keys and indexes: { X: { keys, attributes, indexes: [{ name, keys, projection }] } }.
 */
export function parseTableDefinitions(text) {
  const constants = Object.fromEntries([...text.matchAll(/const\s+string\s+(\w+)\s*=\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const starts = [...text.matchAll(/static\s+CreateTableRequest\s+(\w+)\s*\(/g)];
  const tables = {};
  starts.forEach((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1].index : text.length;
    const [own, ...gsis] = text.slice(m.index, end).split(/new\s+GlobalSecondaryIndex\b/);
    tables[m[1]] = {
      keys: keysIn(own),
      attributes: Object.fromEntries([...own.matchAll(/AttributeDefinition\(\s*"(\w+)"\s*,\s*ScalarAttributeType\.(\w+)\s*\)/g)].map((a) => [a[1], a[2]])),
      indexes: gsis.map((g) => {
        const ref = /IndexName\s*=\s*(?:"([^"]+)"|(\w+))/.exec(g);
        return {
          name: ref?.[1] ?? constants[ref?.[2]] ?? ref?.[2],
          keys: keysIn(g),
          projection: /ProjectionType\.(\w+)/.exec(g)?.[1],
        };
      }),
    };
  });
  return tables;
}

export function tableDefinitionsPath() {
  return join(functionSourceDir(), 'Storage', 'TableDefinitions.cs');
}
