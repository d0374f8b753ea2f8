// template.yaml: valid against the SAM schema, and consistent with the code it deploys.
// Every check is also run against a deliberately broken copy, to prove it can fail.
// Run: node --test test/js/template.test.mjs
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import {
  repoRoot, loadTemplate, parseTemplate, samSchemaPath, readSettingsNames, readSources,
  functionSourceDir, dynamoActionsUsedIn, bedrockActionsUsedIn, parseTableDefinitions, tableDefinitionsPath,
} from './cfn-template.mjs';
import {
  functionId, checkEnvironment, checkTables, checkIam, checkFunctionUrl, checkApi, checkBuild,
  checkTablesMatchCode, checkOperatorPolicy, functionCalls, checkRegionalBedrockIam, functionTableCalls,
} from './template-checks.mjs';
import { cfnSpecProblems } from './cfn-spec.mjs';

const template = loadTemplate();
const settingsNames = readSettingsNames();
const sources = readSources(functionSourceDir());
const dynamoUsed = dynamoActionsUsedIn(sources);
const bedrockUsed = bedrockActionsUsedIn(sources.filter(([file]) => file.startsWith('Bedrock/')));
const makefile = readFileSync(join(repoRoot, 'Makefile'), 'utf8');
const operatorPolicy = JSON.parse(readFileSync(join(repoRoot, 'infra', 'operator-policy.json'), 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema(JSON.parse(readFileSync(samSchemaPath(), 'utf8')), 'sam');
const validateSam = ajv.getSchema('sam');

const broken = (mutate) => {
  const copy = structuredClone(template);
  mutate(copy);
  return copy;
};
const fnProps = (t) => t.Resources[functionId].Properties;
const apiPaths = (t) => t.Resources.ProxyApi.Properties.DefinitionBody.paths;
const statement = (t, sid) => t.Resources.ProxyFunctionRole.Properties.Policies
  .flatMap((p) => p.PolicyDocument.Statement).find((s) => s.Sid === sid);

const formatErrors = (errors, prefix = '') => [...new Set(errors
  .filter((e) => e.keyword !== 'anyOf')
  .sort((a, b) => b.instancePath.length - a.instancePath.length)
  .map((e) => `${prefix}${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}`))];

/**
 * Schema errors, one line each. The schema lets a resource match any of a dozen anyOf branches,
 * so ajv's raw list mostly explains why the resource is not a Connector; validating each SAM
 * resource against its own type's definition gives the error a person needs.
 */
function schemaProblems(t) {
  if (validateSam(t)) {
    return [];
  }
  const precise = Object.entries(t.Resources ?? {}).flatMap(([id, r]) => {
    const kind = /^AWS::Serverless::(\w+)$/.exec(r?.Type ?? '')?.[1]?.replace('CapacityProvider', 'Capacity_Provider').toLowerCase();
    const validate = kind && ajv.getSchema(`sam#/definitions/samtranslator__internal__schema_source__aws_serverless_${kind}__Resource`);
    return validate && !validate(r) ? formatErrors(validate.errors, `/Resources/${id}`) : [];
  });
  return (precise.length > 0 ? precise : formatErrors(validateSam.errors)).slice(0, 12);
}

const expectNone = (problems) => assert.deepEqual(problems, [], `\n  - ${problems.join('\n  - ')}`);
const expectSome = (problems, pattern) => assert.ok(
  problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got ${JSON.stringify(problems)}`);

describe('template.yaml', () => {
  test('Template_AgainstSamSchema_IsValid', () => expectNone(schemaProblems(template)));

  test('Template_UnknownFunctionProperty_FailsSchema', () => {
    const t = broken((c) => { fnProps(c).MemorySizeMb = 512; });
    const problems = schemaProblems(t);
    expectSome(problems, /^\/Resources\/ProxyFunction\/Properties must NOT have additional properties .MemorySizeMb.$/);
  });

  test('Resources_AgainstCloudFormationSpec_AreKnown', () => {
    expectNone(cfnSpecProblems(template));
  });

  test('Resources_MisspelledNestedPropertyOrMissingRequired_FailSpec', () => {
    const t = broken((c) => {
      c.Resources.UsageTable.Properties.SSESpecification = { SSEEnable: true };
      delete c.Resources.ProxyApiInvokePermission.Properties.Principal;
    });
    const problems = cfnSpecProblems(t);
    expectSome(problems, /^\/Resources\/UsageTable\/Properties\.SSESpecification\.SSEEnable: not a property/);
    expectSome(problems, /ProxyApiInvokePermission\/Properties: required property Principal is missing/);
  });

  test('ShortFormTags_Parse_ToLongFormIntrinsics', () => {
    const t = parseTemplate('A: !GetAtt Res.Arn\nB: !Sub [ "${X}", { X: !Ref Y } ]\nC: !If [Cond, !Join [",", [a, b]], !Ref AWS::NoValue]\nD: !Not [!Equals [!Select [0, !Split [",", !GetAZs ""]], ""]]\n');
    assert.deepEqual(t, {
      A: { 'Fn::GetAtt': ['Res', 'Arn'] },
      B: { 'Fn::Sub': ['${X}', { X: { Ref: 'Y' } }] },
      C: { 'Fn::If': ['Cond', { 'Fn::Join': [',', ['a', 'b']] }, { Ref: 'AWS::NoValue' }] },
      D: { 'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::GetAZs': '' }] }] }, ''] }] },
    });
  });
});

describe('environment', () => {
  test('Environment_EveryProxySettingsName_IsSetExceptAwsRegion', () => {
    assert.ok(settingsNames.length >= 10, `parsed only ${settingsNames.length} names from ProxySettings.cs`);
    expectNone(checkEnvironment(template, settingsNames));
  });

  test('Environment_MissingVariable_IsReported', () => {
    const t = broken((c) => { delete fnProps(c).Environment.Variables.USAGE_TABLE; });
    expectSome(checkEnvironment(t, settingsNames), /reads USAGE_TABLE/);
  });

  test('Environment_ReservedAwsRegion_IsReported', () => {
    const t = broken((c) => { fnProps(c).Environment.Variables.AWS_REGION = 'us-east-1'; });
    expectSome(checkEnvironment(t, settingsNames), /AWS_REGION is reserved/);
  });

  test('Environment_UndeclaredVariable_IsReported', () => {
    const t = broken((c) => { fnProps(c).Environment.Variables.STALE_SETTING = 'x'; });
    expectSome(checkEnvironment(t, settingsNames), /STALE_SETTING/);
  });
});

describe('tables', () => {
  test('Tables_NamedByEnvironment_HaveTheFixedKeySchemas', () => expectNone(checkTables(template)));

  test('Tables_WrongHashKey_IsReported', () => {
    const t = broken((c) => { c.Resources.ApiKeysTable.Properties.KeySchema[0].AttributeName = 'keyId'; });
    expectSome(checkTables(t), /ApiKeysTable: HASH key must be keyDigest/);
  });

  test('Tables_MissingGsiOrTtlOrPitr_IsReported', () => {
    const t = broken((c) => {
      c.Resources.ApiKeysTable.Properties.GlobalSecondaryIndexes[0].Projection.ProjectionType = 'KEYS_ONLY';
      delete c.Resources.RateLimitsTable.Properties.TimeToLiveSpecification;
      delete c.Resources.UsageTable.Properties.PointInTimeRecoverySpecification;
      c.Resources.CustomersTable.Properties.BillingMode = 'PROVISIONED';
    });
    const problems = checkTables(t);
    expectSome(problems, /byCustomer: projection must be ALL/);
    expectSome(problems, /RateLimitsTable: TTL must be enabled on expiresAt/);
    expectSome(problems, /UsageTable: point-in-time recovery/);
    expectSome(problems, /CustomersTable: BillingMode/);
  });

  test('Tables_MonthlyTotalsTableWithoutBackupOrRetain_IsReported', () => {
    const t = broken((c) => {
      delete c.Resources.RateLimitsTable.Properties.PointInTimeRecoverySpecification;
      delete c.Resources.RateLimitsTable.UpdateReplacePolicy;
      c.Resources.UsageTable.DeletionPolicy = 'Delete';
    });
    const problems = checkTables(t);
    expectSome(problems, /RateLimitsTable: point-in-time recovery/);
    expectSome(problems, /RateLimitsTable: DeletionPolicy and UpdateReplacePolicy must be Retain/);
    expectSome(problems, /UsageTable: DeletionPolicy and UpdateReplacePolicy must be Retain/);
  });

  test('Tables_EnvironmentNotPointingAtTable_IsReported', () => {
    const t = broken((c) => { fnProps(c).Environment.Variables.CUSTOMERS_TABLE = 'customers'; });
    expectSome(checkTables(t), /CUSTOMERS_TABLE must be !Ref/);
  });
});

const tableDefinitionsSample = `
internal static class TableDefinitions
{
    public const string KeysByCustomerIndex = "byCustomer";
    public static CreateTableRequest Customers(string tableName) => new()
    {
        AttributeDefinitions = [new AttributeDefinition("customerId", ScalarAttributeType.S)],
        KeySchema = [new KeySchemaElement("customerId", KeyType.HASH)],
    };
    public static CreateTableRequest ApiKeys(string tableName) => new()
    {
        AttributeDefinitions = [new AttributeDefinition("keyDigest", ScalarAttributeType.S),
            new AttributeDefinition("customerId", ScalarAttributeType.S), new AttributeDefinition("keyId", ScalarAttributeType.S)],
        KeySchema = [new KeySchemaElement("keyDigest", KeyType.HASH)],
        GlobalSecondaryIndexes =
        [
            new GlobalSecondaryIndex { IndexName = KeysByCustomerIndex,
                KeySchema = [new KeySchemaElement("customerId", KeyType.HASH), new KeySchemaElement("keyId", KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.ALL } },
            new GlobalSecondaryIndex { IndexName = "byKeyId", KeySchema = [new KeySchemaElement("keyId", KeyType.HASH)],
                Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY } },
        ],
    };
    public static CreateTableRequest RateLimits(string tableName) => new()
    {
        AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
        KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
    };
    public static CreateTableRequest Usage(string tableName) => new()
    {
        AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.S)],
        KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
    };
}`;

describe('tables as the code defines them', () => {
  test('TableDefinitions_InTheCode_MatchTemplate', (t) => {
    if (!existsSync(tableDefinitionsPath())) {
      t.skip('src/BedrockLambdaProxy/Storage/TableDefinitions.cs is not on this branch yet');
      return;
    }
    expectNone(checkTablesMatchCode(template, parseTableDefinitions(readFileSync(tableDefinitionsPath(), 'utf8'))));
  });

  test('TableDefinitions_Sample_ParsesAndMatchesTemplate', () => {
    const code = parseTableDefinitions(tableDefinitionsSample);
    assert.deepEqual(code.ApiKeys.indexes.map((i) => [i.name, i.projection]), [['byCustomer', 'ALL'], ['byKeyId', 'KEYS_ONLY']]);
    expectNone(checkTablesMatchCode(template, code));
  });

  test('TableDefinitions_IndexMissingFromTemplate_IsReported', () => {
    const t = broken((c) => { c.Resources.ApiKeysTable.Properties.GlobalSecondaryIndexes.pop(); });
    expectSome(checkTablesMatchCode(t, parseTableDefinitions(tableDefinitionsSample)), /uses index byKeyId/);
  });

  test('TableDefinitions_RangeKeyDiffers_IsReported', () => {
    const code = parseTableDefinitions(tableDefinitionsSample.replace('KeySchemaElement("sk", KeyType.RANGE)', 'KeySchemaElement("ts", KeyType.RANGE)'));
    expectSome(checkTablesMatchCode(template, code), /UsageTable: key schema/);
  });
});

describe('iam', () => {
  test('Iam_BedrockGrant_CoversEveryFailoverRegion', () => {
    expectNone(checkRegionalBedrockIam(template));
  });

  test('Iam_BedrockGrantPinnedToStackRegion_IsReported', () => {
    const t = broken((c) => {
      statement(c, 'InvokeAllowedModels').Resource['Fn::If'][2][1] = { 'Fn::Sub': 'arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:inference-profile/*' };
    });
    expectSome(checkRegionalBedrockIam(t), /limited to region \{AWS\.Region\}/);
  });

  test('Iam_CoversEveryAwsCallInTheCode', () => {
    expectNone(checkIam(template, dynamoUsed, bedrockUsed));
  });

  test('Iam_CodeCallNotGranted_IsReported', () => {
    const used = { ...dynamoUsed, 'dynamodb:DeleteItem': ['Fake.cs'] };
    const t = broken(() => {});
    expectSome(checkIam(t, used, bedrockUsed), /calls dynamodb:DeleteItem \(Fake\.cs\)/);
  });

  test('Iam_MissingStreamAction_IsReported', () => {
    const t = broken((c) => { statement(c, 'InvokeAllowedModels').Action = ['bedrock:InvokeModel']; });
    expectSome(checkIam(t, dynamoUsed, { 'bedrock:InvokeModelWithResponseStream': ['Bedrock/X.cs'] }),
      /does not allow bedrock:InvokeModelWithResponseStream \(Bedrock\/X\.cs\)/);
  });

  test('Iam_WildcardsOrForeignTables_AreReported', () => {
    const t = broken((c) => {
      statement(c, 'CountAndSettle').Resource = [statement(c, 'CountAndSettle').Resource, 'arn:aws:dynamodb:*:*:table/*'];
      statement(c, 'ReadCustomersAndKeys').Action.push('dynamodb:*');
      statement(c, 'InvokeAllowedModels').Resource = '*';
    });
    const problems = checkIam(t, dynamoUsed, bedrockUsed);
    expectSome(problems, /none of this stack's tables/);
    expectSome(problems, /wildcard action dynamodb:\*/);
    expectSome(problems, /Bedrock actions must be scoped/);
  });

  test('Iam_UnneededDeleteGrant_IsReported', () => {
    const t = broken((c) => { statement(c, 'CountAndSettle').Action.push('dynamodb:DeleteItem'); });
    const used = { ...dynamoUsed };
    delete used['dynamodb:DeleteItem'];
    expectSome(checkIam(t, used, bedrockUsed), /dynamodb:DeleteItem is granted but/);
  });

  test('Iam_ActionGrantedOnATableTheCodeDoesNotCallItOn_IsReported', () => {
    const t = broken((c) => {
      statement(c, 'ReadCustomersAndKeys').Action.push('dynamodb:Query', 'dynamodb:BatchGetItem');
      statement(c, 'ReadCustomersAndKeys').Resource.push({ 'Fn::Sub': '${ApiKeysTable.Arn}/index/*' });
      statement(c, 'RecordUsage').Action.push('dynamodb:UpdateItem');
    });
    const problems = checkIam(t, dynamoUsed, bedrockUsed);
    expectSome(problems, /dynamodb:Query is granted but the function's code never calls it on CustomersTable/);
    expectSome(problems, /dynamodb:BatchGetItem is granted but the function's code never calls it on ApiKeysTable/);
    expectSome(problems, /dynamodb:GetItem is granted but the function's code never calls it on ApiKeysTable\/index/);
    // UpdateItem is needed, but on the rate-limits table, not on usage.
    expectSome(problems, /dynamodb:UpdateItem is granted but the function's code never calls it on UsageTable/);
  });

  test('Iam_CallNotGrantedOnItsOwnTable_IsReported', () => {
    const t = broken((c) => {
      statement(c, 'CountAndSettle').Action = ['dynamodb:GetItem'];
      statement(c, 'RecordUsage').Action.push('dynamodb:UpdateItem');
    });
    expectSome(checkIam(t, dynamoUsed, bedrockUsed), /the code calls dynamodb:UpdateItem on RateLimitsTable \(Limits\/Admission\.cs, Limits\/ConcurrencySlots\.cs, Usage\/UsageRecorder\.cs\) but the role does not allow it there/);
  });

  test('Iam_TableMapEntryTheCodeNoLongerHas_IsReported', () => {
    const map = [...functionTableCalls, { file: 'Limits/Gone.cs', action: 'dynamodb:DeleteItem', table: 'RATE_LIMITS_TABLE' }];
    expectSome(checkIam(template, dynamoUsed, bedrockUsed, map), /lists dynamodb:DeleteItem in Limits\/Gone\.cs, which the function's code no longer calls/);
  });

  test('Iam_AdminOnlyCallSites_AreNotGrantedToTheFunction', () => {
    const used = {
      'dynamodb:Scan': ['Auth/CustomerStore.cs'],
      'dynamodb:Query': ['Auth/ApiKeyStore.cs', 'Usage/UsageReportReader.cs'],
      'dynamodb:GetItem': ['Auth/ApiKeyStore.cs', 'Usage/UsageReplay.cs'],
      'dynamodb:PutItem': ['Usage/UsageReplay.cs'],
    };
    // UsageReportReader's Query is the function's own too (GET /v1/usage).
    assert.deepEqual(functionCalls(used), { 'dynamodb:GetItem': ['Auth/ApiKeyStore.cs'], 'dynamodb:Query': ['Usage/UsageReportReader.cs'] });
    expectSome(checkIam(template, { ...dynamoUsed, 'dynamodb:Scan': ['Limits/Window.cs'] }, bedrockUsed), /calls dynamodb:Scan \(Limits\/Window\.cs\)/);
  });

  test('OperatorPolicy_CoversTheAdminCallsOnTheFourTables', () => expectNone(checkOperatorPolicy(template, operatorPolicy, dynamoUsed)));

  test('OperatorPolicy_MissingActionOrTable_IsReported', () => {
    const policy = structuredClone(operatorPolicy);
    policy.Statement[0].Action = policy.Statement[0].Action.filter((a) => a !== 'dynamodb:Scan');
    policy.Statement[0].Resource = policy.Statement[0].Resource.filter((r) => !r.endsWith('-usage'));
    const problems = checkOperatorPolicy(template, policy, { 'dynamodb:Scan': ['Auth/CustomerStore.cs'] });
    expectSome(problems, /calls dynamodb:Scan/);
    expectSome(problems, /does not cover table STACK_NAME-usage/);
  });

  test('CodeScan_FindsDynamoAndBedrockCalls', () => {
    const fake = [['Limits/Counter.cs', 'await _client.UpdateItemAsync(request, ct);'],
      ['Bedrock/Client.cs', 'const string Path = "/model/{0}/converse-stream";']];
    assert.deepEqual(dynamoActionsUsedIn(fake), { 'dynamodb:UpdateItem': ['Limits/Counter.cs'] });
    assert.deepEqual(bedrockActionsUsedIn(fake), { 'bedrock:InvokeModelWithResponseStream': ['Bedrock/Client.cs'] });
  });
});

describe('function url', () => {
  test('FunctionUrl_IsPublicAndStreams', () => expectNone(checkFunctionUrl(template)));

  test('FunctionUrl_BufferedOrIam_IsReported', () => {
    const t = broken((c) => {
      fnProps(c).FunctionUrlConfig.InvokeMode = 'BUFFERED';
      fnProps(c).FunctionUrlConfig.AuthType = 'AWS_IAM';
      delete c.Resources.ProxyFunctionUrlInvokePermission;
    });
    const problems = checkFunctionUrl(t);
    expectSome(problems, /InvokeMode must be RESPONSE_STREAM/);
    expectSome(problems, /AuthType must be NONE/);
    expectSome(problems, /FUNCTION_URL_INVOKE_MODE/);
    expectSome(problems, /InvokedViaFunctionUrl/);
  });
});

describe('api gateway', () => {
  test('Api_BufferedRoutesAndStreamingRoute_AreWired', () => expectNone(checkApi(template)));

  test('Api_StreamRouteBuffered_IsReported', () => {
    const t = broken((c) => {
      const i = apiPaths(c)['/stream/{proxy+}']['x-amazon-apigateway-any-method']['x-amazon-apigateway-integration'];
      delete i.responseTransferMode;
      i.uri = apiPaths(c)['/{proxy+}']['x-amazon-apigateway-any-method']['x-amazon-apigateway-integration'].uri;
    });
    const problems = checkApi(t);
    expectSome(problems, /responseTransferMode must be STREAM/);
    expectSome(problems, /response-streaming-invocations/);
  });

  test('Api_BufferedTimeoutNotTheFunctionsSetting_IsReported', () => {
    const t = broken((c) => {
      apiPaths(c)['/{proxy+}']['x-amazon-apigateway-any-method']['x-amazon-apigateway-integration'].timeoutInMillis = 60000;
    });
    expectSome(checkApi(t), /\/\{proxy\+\}: timeoutInMillis 60000 differs from API_GATEWAY_TIMEOUT_SECONDS \(29 s\)/);
  });

  test('Api_MissingInvokePermission_IsReported', () => {
    const t = broken((c) => { delete c.Resources.ProxyApiInvokePermission; });
    expectSome(checkApi(t), /apigateway\.amazonaws\.com/);
  });
});

describe('build', () => {
  test('Build_MakefileTargetAndRuntime_Match', () => expectNone(checkBuild(template, makefile)));

  test('Build_RenamedFunctionOrTarget_IsReported', () => {
    const t = broken((c) => { fnProps(c).Runtime = 'dotnet8'; });
    const problems = checkBuild(t, makefile.replace('build-ProxyFunction:', 'build-Other:'));
    expectSome(problems, /no build-ProxyFunction target/);
    expectSome(problems, /provided\.al2023/);
  });
});
