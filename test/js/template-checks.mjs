// Consistency checks between template.yaml and the code. Each returns a list of problems (empty
// when the template is right) so a test can show all of them at once, and so template.test.mjs
// can prove each check fails on a deliberately broken copy.

export const functionId = 'ProxyFunction';

/** The fixed key schemas, by the environment variable that names each table. */
// Every table holds billing data (the monthly totals live on rate-limits' counter items), so every
// one is backed up (pitr) and kept when the stack is deleted or the table replaced (retain).
export const tableSpecs = {
  CUSTOMERS_TABLE: { hash: ['customerId', 'S'], pitr: true, retain: true },
  API_KEYS_TABLE: {
    hash: ['keyDigest', 'S'],
    pitr: true,
    retain: true,
    gsi: { name: 'byCustomer', hash: ['customerId', 'S'], range: ['keyId', 'S'], projection: 'ALL' },
  },
  RATE_LIMITS_TABLE: { hash: ['pk', 'S'], ttl: 'expiresAt', pitr: true, retain: true },
  USAGE_TABLE: { hash: ['pk', 'S'], range: ['sk', 'S'], pitr: true, retain: true },
};

// Set by Lambda itself; a function may not set reserved variables.
const lambdaReserved = new Set(['AWS_REGION']);

const resources = (t) => t.Resources ?? {};
const fn = (t) => resources(t)[functionId];
const props = (t) => fn(t)?.Properties ?? {};
const asList = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function checkEnvironment(template, settingsNames) {
  const problems = [];
  if (!fn(template)) {
    return [`no resource ${functionId}`];
  }
  const vars = props(template).Environment?.Variables ?? {};
  for (const name of settingsNames) {
    if (lambdaReserved.has(name)) {
      if (name in vars) {
        problems.push(`${name} is reserved (Lambda sets it) and must not be set`);
      }
    } else if (!(name in vars)) {
      problems.push(`the code reads ${name} (ProxySettings.Names) but template.yaml does not set it`);
    }
  }
  for (const name of Object.keys(vars)) {
    if (!settingsNames.includes(name)) {
      problems.push(`template.yaml sets ${name}, which ProxySettings.Names does not declare`);
    }
  }
  return problems;
}

function tableResourceFor(template, envName) {
  const value = props(template).Environment?.Variables?.[envName];
  const id = value?.Ref;
  return id ? [id, resources(template)[id]] : [undefined, undefined];
}

const keyOf = (schema, type) => asList(schema).find((k) => k.KeyType === type)?.AttributeName;
const attrType = (table, name) => asList(table.AttributeDefinitions).find((a) => a.AttributeName === name)?.AttributeType;

export function checkTables(template) {
  const problems = [];
  for (const [envName, spec] of Object.entries(tableSpecs)) {
    const [id, res] = tableResourceFor(template, envName);
    if (!res || res.Type !== 'AWS::DynamoDB::Table') {
      problems.push(`${envName} must be !Ref to an AWS::DynamoDB::Table resource (got ${id ?? 'no Ref'})`);
      continue;
    }
    const p = res.Properties ?? {};
    const expectKey = (where, schema, type, [name, attr]) => {
      if (keyOf(schema, type) !== name || attrType(p, name) !== attr) {
        problems.push(`${id}${where}: ${type} key must be ${name} (${attr})`);
      }
    };
    expectKey('', p.KeySchema, 'HASH', spec.hash);
    if (spec.range) {
      expectKey('', p.KeySchema, 'RANGE', spec.range);
    } else if (keyOf(p.KeySchema, 'RANGE')) {
      problems.push(`${id}: must have no RANGE key`);
    }
    if (p.BillingMode !== 'PAY_PER_REQUEST') {
      problems.push(`${id}: BillingMode must be PAY_PER_REQUEST (on-demand)`);
    }
    if (p.SSESpecification?.SSEEnabled !== true) {
      problems.push(`${id}: SSESpecification.SSEEnabled must be true`);
    }
    if (spec.pitr && p.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled !== true) {
      problems.push(`${id}: point-in-time recovery must be enabled`);
    }
    if (spec.retain && (res.DeletionPolicy !== 'Retain' || res.UpdateReplacePolicy !== 'Retain')) {
      problems.push(`${id}: DeletionPolicy and UpdateReplacePolicy must be Retain (billing data)`);
    }
    if (spec.ttl && (p.TimeToLiveSpecification?.AttributeName !== spec.ttl || p.TimeToLiveSpecification?.Enabled !== true)) {
      problems.push(`${id}: TTL must be enabled on ${spec.ttl}`);
    }
    if (spec.gsi) {
      const gsi = asList(p.GlobalSecondaryIndexes).find((g) => g.IndexName === spec.gsi.name);
      if (!gsi) {
        problems.push(`${id}: missing GSI ${spec.gsi.name}`);
      } else {
        expectKey(`/${spec.gsi.name}`, gsi.KeySchema, 'HASH', spec.gsi.hash);
        expectKey(`/${spec.gsi.name}`, gsi.KeySchema, 'RANGE', spec.gsi.range);
        if (gsi.Projection?.ProjectionType !== spec.gsi.projection) {
          problems.push(`${id}/${spec.gsi.name}: projection must be ${spec.gsi.projection}`);
        }
      }
    }
  }
  return problems;
}

/** Every Allow statement of the function's role, flattened to { actions, resources }. */
export function roleStatements(template) {
  const roleId = props(template).Role?.['Fn::GetAtt']?.[0];
  const role = roleId && resources(template)[roleId];
  if (!role || role.Type !== 'AWS::IAM::Role') {
    return undefined;
  }
  return asList(role.Properties?.Policies)
    .flatMap((p) => asList(p.PolicyDocument?.Statement))
    .filter((s) => s.Effect === 'Allow')
    .map((s) => ({ actions: asList(s.Action), resources: s.Resource }));
}

const mentions = (value, text) => JSON.stringify(value ?? null).includes(text);

/**
 * Call sites in the function's project that only the admin CLI reaches (it reuses the stores).
 * Reviewed by hand: the function is not granted these; the operator is, where `operator` is true.
 * Table creation and TTL set-up serve local stacks only: on AWS, template.yaml makes the tables.
 */
export const adminOnlyCalls = [
  { file: 'Storage/TableDefinitions.cs', actions: ['dynamodb:DescribeTable'], operator: true },
  { file: 'Storage/TableDefinitions.cs', actions: ['dynamodb:CreateTable', 'dynamodb:DescribeTimeToLive', 'dynamodb:UpdateTimeToLive'], operator: false },
  // customers create / list / suspend / set-limits; keys issue / list / update / revoke / rotate (the byCustomer and byKeyId indexes).
  { file: 'Auth/CustomerStore.cs', actions: ['dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], operator: true },
  { file: 'Auth/ApiKeyStore.cs', actions: ['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], operator: true },
  // usage replay (usage report shares UsageReportReader with the function's GET /v1/usage, below).
  { file: 'Usage/UsageReplay.cs', actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem'], operator: true },
  // prices set / prices map.
  { file: 'Pricing/PriceStore.cs', actions: ['dynamodb:UpdateItem'], operator: true },
];

/**
 * Every DynamoDB call site the function reaches and the table it acts on (the environment variable
 * naming it), reviewed by hand: the role must grant exactly these actions on exactly these tables.
 * A new call site fails the check until it is listed here (or in adminOnlyCalls) and granted.
 */
export const functionTableCalls = [
  { file: 'Auth/CustomerStore.cs', action: 'dynamodb:GetItem', table: 'CUSTOMERS_TABLE' }, // a cold key's customer
  { file: 'Auth/ApiKeyStore.cs', action: 'dynamodb:GetItem', table: 'API_KEYS_TABLE' }, // a cold key, by digest
  { file: 'Auth/CustomerStore.cs', action: 'dynamodb:BatchGetItem', table: 'CUSTOMERS_TABLE' }, // a cold key's customer with…
  { file: 'Auth/CustomerStore.cs', action: 'dynamodb:BatchGetItem', table: 'RATE_LIMITS_TABLE' }, // …its counter item, one round trip
  { file: 'Limits/Admission.cs', action: 'dynamodb:GetItem', table: 'RATE_LIMITS_TABLE' }, // the counter item, after a refused write
  { file: 'Limits/Admission.cs', action: 'dynamodb:UpdateItem', table: 'RATE_LIMITS_TABLE' }, // admission, settlement (customers' and API keys' own counter items)
  { file: 'Limits/ConcurrencySlots.cs', action: 'dynamodb:GetItem', table: 'RATE_LIMITS_TABLE' }, // a capped customer's slots, after a refused take
  { file: 'Limits/ConcurrencySlots.cs', action: 'dynamodb:UpdateItem', table: 'RATE_LIMITS_TABLE' }, // taking and giving back a slot
  { file: 'Usage/UsageRecorder.cs', action: 'dynamodb:PutItem', table: 'USAGE_TABLE' }, // the usage record
  { file: 'Usage/UsageRecorder.cs', action: 'dynamodb:UpdateItem', table: 'RATE_LIMITS_TABLE' }, // monthly aggregate + settlement
  { file: 'Usage/UsageReportReader.cs', action: 'dynamodb:Query', table: 'USAGE_TABLE' }, // GET /v1/usage: the caller's month of records
  { file: 'Usage/UsageReportReader.cs', action: 'dynamodb:GetItem', table: 'RATE_LIMITS_TABLE' }, // GET /v1/usage: the month's aggregate
  { file: 'Pricing/PriceStore.cs', action: 'dynamodb:GetItem', table: 'RATE_LIMITS_TABLE' }, // price overrides, once per AUTH_CACHE_SECONDS
];

const isAdminOnly = (file, action) => adminOnlyCalls.some((c) => c.file === file && c.actions.includes(action));

// The DynamoDB client itself: its calls (the SDK fallback for the operations it writes by hand) are
// its callers' calls, each of which names its table in functionTableCalls.
export const dynamoClientFiles = ['Storage/Lean/LeanDynamoClient.cs'];

/** The call sites the function itself may reach: { action: [files] } without the admin-only ones. */
export function functionCalls(dynamoUsed) {
  return Object.fromEntries(Object.entries(dynamoUsed)
    .map(([action, files]) => [action, files.filter((f) => !isAdminOnly(f, action) && !dynamoClientFiles.includes(f))])
    .filter(([, files]) => files.length > 0));
}

/**
 * What the function needs per table: { tableResourceId: { action: [files] } }, from its call sites
 * and functionTableCalls; problems for call sites the map does not place and map entries the code
 * no longer has.
 */
function neededPerTable(template, needed, tableCalls) {
  const problems = [];
  const perTable = {};
  for (const [action, files] of Object.entries(needed)) {
    for (const file of files) {
      const entries = tableCalls.filter((c) => c.file === file && c.action === action);
      if (entries.length === 0) {
        problems.push(`the code calls ${action} (${file}) on no table listed in functionTableCalls: map it to its table (or to adminOnlyCalls) and grant it`);
      }
      for (const entry of entries) {
        const [id] = tableResourceFor(template, entry.table);
        ((perTable[id ?? entry.table] ??= {})[action] ??= []).push(file);
      }
    }
  }
  for (const entry of tableCalls) {
    if (!needed[entry.action]?.includes(entry.file)) {
      problems.push(`functionTableCalls lists ${entry.action} in ${entry.file}, which the function's code no longer calls`);
    }
  }
  return [perTable, problems];
}

export function checkIam(template, dynamoUsed, bedrockUsed, tableCalls = functionTableCalls) {
  const statements = roleStatements(template);
  if (!statements) {
    return [`${functionId}.Role must be !GetAtt <an AWS::IAM::Role in this template>.Arn`];
  }
  const needed = functionCalls(dynamoUsed);
  const [perTable, problems] = neededPerTable(template, needed, tableCalls);
  const tableIds = Object.keys(tableSpecs).map((env) => tableResourceFor(template, env)[0]).filter(Boolean);
  const dynamo = statements.filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')));
  const bedrock = statements.filter((s) => s.actions.some((a) => a.startsWith('bedrock:')));
  // The table a granted resource is, or "<table>/index" for its indexes (the function queries none).
  const grantedOn = (resource) => {
    const id = tableIds.find((t) => mentions(resource, t));
    return id && mentions(resource, '/index/') ? `${id}/index` : id;
  };

  for (const s of statements) {
    for (const a of s.actions) {
      if (a === '*' || a.endsWith(':*')) {
        problems.push(`wildcard action ${a} is not least privilege`);
      }
    }
  }
  for (const s of dynamo) {
    for (const r of asList(s.resources)) {
      const target = grantedOn(r);
      if (!target) {
        problems.push(`DynamoDB statement grants ${JSON.stringify(r)}, which is none of this stack's tables`);
        continue;
      }
      for (const a of s.actions) {
        if (!perTable[target]?.[a]) {
          problems.push(`${a} is granted but the function's code never calls it on ${target}`);
        }
      }
    }
  }
  for (const [id, actions] of Object.entries(perTable)) {
    for (const [action, files] of Object.entries(actions)) {
      if (!dynamo.some((s) => s.actions.includes(action) && asList(s.resources).some((r) => grantedOn(r) === id))) {
        problems.push(`the code calls ${action} on ${id} (${files.join(', ')}) but the role does not allow it there`);
      }
    }
  }
  // The design's surfaces call all four Bedrock operations, whatever the code names so far.
  const bedrockNeeded = new Set(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', ...Object.keys(bedrockUsed)]);
  for (const action of bedrockNeeded) {
    if (!bedrock.some((s) => s.actions.includes(action))) {
      const where = bedrockUsed[action] ? ` (${bedrockUsed[action].join(', ')})` : '';
      problems.push(`the role does not allow ${action}${where}`);
    }
  }
  for (const s of bedrock) {
    if (mentions(s.resources, '"*"')) {
      problems.push('Bedrock actions must be scoped to model / inference-profile ARNs, not "*"');
    }
  }
  return problems;
}

/**
 * BEDROCK_REGIONS may list several regions (failover): the role's default Bedrock grant must then
 * name every region (`*` in each ARN's region field), or a failover region answers 403, which
 * never fails over. The AllowedModelArns branch is the operator's own list.
 */
export function checkRegionalBedrockIam(template) {
  if (!('BEDROCK_REGIONS' in (props(template).Environment?.Variables ?? {}))) {
    return ['template.yaml does not pass BEDROCK_REGIONS to the function'];
  }
  const statements = roleStatements(template) ?? [];
  const bedrock = statements.filter((s) => s.actions.some((a) => a.startsWith('bedrock:')));
  const problems = [];
  for (const s of bedrock) {
    const r = s.resources;
    const defaults = r?.['Fn::If'] ? r['Fn::If'][2] : r;
    for (const arn of asList(defaults)) {
      const text = typeof arn === 'string' ? arn : arn?.['Fn::Sub'];
      // ${AWS::Partition} and friends contain colons: mask them before splitting the ARN.
      const masked = typeof text === 'string' ? text.replace(/\$\{([\w:]+)\}/g, (_, name) => `{${name.replaceAll('::', '.')}}`) : undefined;
      const region = masked?.split(':')[3];
      if (region !== '*') {
        problems.push(`Bedrock grant ${JSON.stringify(arn)} is limited to region ${region}; failover regions would get 403`);
      }
    }
  }
  return problems;
}

export function checkFunctionUrl(template) {
  const p = props(template);
  const problems = [];
  const url = p.FunctionUrlConfig;
  if (!url) {
    return [`${functionId} has no FunctionUrlConfig`];
  }
  if (url.AuthType !== 'NONE') {
    problems.push(`FunctionUrlConfig.AuthType must be NONE (the proxy authenticates), got ${JSON.stringify(url.AuthType)}`);
  }
  if (url.InvokeMode !== 'RESPONSE_STREAM') {
    problems.push(`FunctionUrlConfig.InvokeMode must be RESPONSE_STREAM, got ${JSON.stringify(url.InvokeMode)}`);
  }
  const envMode = p.Environment?.Variables?.FUNCTION_URL_INVOKE_MODE;
  if (envMode !== url.InvokeMode) {
    problems.push(`FUNCTION_URL_INVOKE_MODE (${JSON.stringify(envMode)}) must equal FunctionUrlConfig.InvokeMode`);
  }
  const publicInvoke = Object.values(resources(template)).some((r) => r.Type === 'AWS::Lambda::Permission'
    && r.Properties?.Action === 'lambda:InvokeFunction' && r.Properties?.Principal === '*'
    && r.Properties?.InvokedViaFunctionUrl === true && mentions(r.Properties?.FunctionName, functionId));
  if (!publicInvoke) {
    problems.push('a public Function URL also needs lambda:InvokeFunction for Principal * with InvokedViaFunctionUrl: true');
  }
  return problems;
}

const streamUriPart = `lambda:path/2021-11-15/functions/\${${functionId}.Arn}/response-streaming-invocations`;
const bufferedUriPart = `lambda:path/2015-03-31/functions/\${${functionId}.Arn}/invocations`;

function integrations(pathItem) {
  return Object.values(pathItem ?? {}).map((op) => op?.['x-amazon-apigateway-integration']).filter(Boolean);
}

export function checkApi(template) {
  const apis = Object.entries(resources(template)).filter(([, r]) => r.Type === 'AWS::Serverless::Api');
  if (apis.length !== 1) {
    return [`expected one AWS::Serverless::Api, found ${apis.length}`];
  }
  const [apiId, api] = apis[0];
  const paths = api.Properties?.DefinitionBody?.paths ?? {};
  const problems = [];
  const callerSeconds = Number(props(template)?.Environment?.Variables?.API_GATEWAY_TIMEOUT_SECONDS);
  for (const route of ['/', '/{proxy+}']) {
    const found = integrations(paths[route]);
    if (found.length === 0 || !found.every((i) => i.type === 'aws_proxy' && mentions(i.uri, bufferedUriPart) && i.responseTransferMode !== 'STREAM')) {
      problems.push(`${route} must be a buffered aws_proxy integration with the .../2015-03-31/functions/<fn>/invocations URI`);
    }
    // The function plans a buffered request's retries against this timeout (API_GATEWAY_TIMEOUT_SECONDS).
    for (const i of found) {
      if (i.timeoutInMillis !== callerSeconds * 1000) {
        problems.push(`${route}: timeoutInMillis ${i.timeoutInMillis} differs from API_GATEWAY_TIMEOUT_SECONDS (${callerSeconds} s)`);
      }
    }
  }
  const stream = integrations(paths['/stream/{proxy+}']);
  if (stream.length === 0) {
    problems.push('no /stream/{proxy+} route');
  }
  for (const i of stream) {
    if (i.type !== 'aws_proxy') {
      problems.push(`/stream/{proxy+}: integration type must be aws_proxy, got ${i.type}`);
    }
    if (i.responseTransferMode !== 'STREAM') {
      problems.push(`/stream/{proxy+}: responseTransferMode must be STREAM, got ${JSON.stringify(i.responseTransferMode)}`);
    }
    if (!mentions(i.uri, streamUriPart)) {
      problems.push(`/stream/{proxy+}: uri must use ${streamUriPart}`);
    }
    if (!(i.timeoutInMillis > 29000 && i.timeoutInMillis <= 900000)) {
      problems.push(`/stream/{proxy+}: timeoutInMillis must be above 29000 and at most 900000, got ${i.timeoutInMillis}`);
    }
  }
  const invoke = Object.values(resources(template)).some((r) => r.Type === 'AWS::Lambda::Permission'
    && r.Properties?.Action === 'lambda:InvokeFunction' && r.Properties?.Principal === 'apigateway.amazonaws.com'
    && mentions(r.Properties?.FunctionName, functionId) && mentions(r.Properties?.SourceArn, apiId));
  if (!invoke) {
    problems.push(`no lambda:InvokeFunction permission for apigateway.amazonaws.com scoped to ${apiId}`);
  }
  return problems;
}

/** The function is built by the Makefile target sam calls, into a provided.al2023 bootstrap. */
export function checkBuild(template, makefileText) {
  const p = props(template);
  const problems = [];
  if (fn(template)?.Metadata?.BuildMethod !== 'makefile') {
    problems.push(`${functionId}.Metadata.BuildMethod must be makefile`);
  }
  if (p.CodeUri !== '.') {
    problems.push(`${functionId}.CodeUri must be the repository root (where the Makefile and Directory.*.props are)`);
  }
  if (!new RegExp(`^build-${functionId}:`, 'm').test(makefileText)) {
    problems.push(`the Makefile has no build-${functionId} target`);
  }
  if (p.Runtime !== 'provided.al2023') {
    problems.push(`${functionId}.Runtime must be provided.al2023 (see docs/DEPLOY.md), got ${p.Runtime}`);
  }
  return problems;
}

/** infra/operator-policy.json: the admin CLI's DynamoDB calls, on exactly this stack's four tables. */
export function checkOperatorPolicy(template, policy, dynamoUsed) {
  const problems = [];
  const statements = asList(policy.Statement).filter((s) => s.Effect === 'Allow');
  const dynamo = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
  const granted = new Set(dynamo.flatMap((s) => asList(s.Action)));
  const localOnly = new Set(adminOnlyCalls.filter((c) => !c.operator).flatMap((c) => c.actions));
  for (const action of Object.keys(dynamoUsed)) {
    if (!localOnly.has(action) && !granted.has(action)) {
      problems.push(`the admin CLI's code calls ${action} (${dynamoUsed[action].join(', ')}) but the operator policy does not allow it`);
    }
  }
  for (const a of granted) {
    if (a === 'dynamodb:*' || localOnly.has(a)) {
      problems.push(`operator policy grants ${a}: table management belongs to the stack`);
    }
  }
  const resourcesText = JSON.stringify(dynamo.map((s) => s.Resource));
  for (const env of Object.keys(tableSpecs)) {
    const [id, res] = tableResourceFor(template, env);
    const name = res?.Properties?.TableName?.['Fn::Sub'];
    const suffix = typeof name === 'string' && name.startsWith('${AWS::StackName}') ? name.slice('${AWS::StackName}'.length) : undefined;
    if (!suffix) {
      problems.push(`${id ?? env}: TableName must be !Sub \${AWS::StackName}-<suffix> so operators can name it`);
    } else if (!resourcesText.includes(`table/STACK_NAME${suffix}"`)) {
      problems.push(`operator policy does not cover table STACK_NAME${suffix}`);
    }
  }
  if (!resourcesText.includes('/index/*')) {
    problems.push('operator policy does not cover the api keys table indexes');
  }
  return problems;
}

/** TableDefinitions.cs method name -> the environment variable naming that table. */
export const codeTableEnv = { Customers: 'CUSTOMERS_TABLE', ApiKeys: 'API_KEYS_TABLE', RateLimits: 'RATE_LIMITS_TABLE', Usage: 'USAGE_TABLE' };

const sameKeys = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const cfnKeys = (schema) => asList(schema).map((k) => ({ name: k.AttributeName, type: k.KeyType }));

/** The code's local table definitions and template.yaml's must agree: keys, types, every index. */
export function checkTablesMatchCode(template, codeTables) {
  const problems = [];
  for (const [method, env] of Object.entries(codeTableEnv)) {
    const code = codeTables[method];
    const [id, res] = tableResourceFor(template, env);
    if (!code) {
      problems.push(`TableDefinitions has no ${method}(...) definition`);
      continue;
    }
    const p = res?.Properties ?? {};
    if (!sameKeys(cfnKeys(p.KeySchema), code.keys)) {
      problems.push(`${id}: key schema ${JSON.stringify(cfnKeys(p.KeySchema))} differs from the code's ${JSON.stringify(code.keys)}`);
    }
    for (const [name, type] of Object.entries(code.attributes)) {
      if (attrType(p, name) !== type) {
        problems.push(`${id}: attribute ${name} must be ${type} as in the code`);
      }
    }
    const templateIndexes = asList(p.GlobalSecondaryIndexes);
    for (const index of code.indexes) {
      const found = templateIndexes.find((g) => g.IndexName === index.name);
      if (!found) {
        problems.push(`${id}: the code uses index ${index.name}, which template.yaml does not create`);
      } else if (!sameKeys(cfnKeys(found.KeySchema), index.keys) || found.Projection?.ProjectionType !== index.projection) {
        problems.push(`${id}/${index.name}: keys or projection differ from the code's`);
      }
    }
    for (const g of templateIndexes) {
      if (!code.indexes.some((i) => i.name === g.IndexName)) {
        problems.push(`${id}: template.yaml creates index ${g.IndexName}, which the code does not define`);
      }
    }
  }
  return problems;
}
