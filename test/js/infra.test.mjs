// The dashboard and alarms in template.yaml read metrics the code really writes: the Embedded
// Metric Format names in Metrics/MetricsLog.cs, or a log metric filter of the template; the
// dashboard body is valid JSON once CloudFormation has substituted it.
// Run: node --test test/js/infra.test.mjs
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, loadTemplate } from './cfn-template.mjs';

const template = loadTemplate();
const namespaceSub = 'BedrockLambdaProxy/${AWS::StackName}';
const metricsLogPath = join(repoRoot, 'src', 'BedrockLambdaProxy', 'Metrics', 'MetricsLog.cs');

/** Metric names MetricsLog.cs writes: its string constants that are not dimension names. */
export function emfMetricNames(text = readFileSync(metricsLogPath, 'utf8')) {
  return [...text.matchAll(/public const string (\w+) = "(\w+)";/g)]
    .filter(([, constant]) => !constant.endsWith('Dimension'))
    .map(([, , name]) => name);
}

/** Does what Fn::Sub does with the dashboard's parameters, resources and pseudo parameters. */
function renderBody(t, values) {
  const body = t.Resources.ProxyDashboard.Properties.DashboardBody['Fn::Sub'];
  return body.replace(/\$\{([\w:]+)\}/g, (_, name) => {
    assert.ok(name in values, `DashboardBody uses \${${name}}, which this test does not know`);
    return values[name];
  });
}

const values = { 'AWS::Region': 'eu-west-1', 'AWS::StackName': 's', ProxyFunction: 'fn', StageName: 'v1' };
const namespace = 'BedrockLambdaProxy/s';

/** [namespace, metric name] of every metric a dashboard body plots, SEARCH expressions included. */
function plotted(bodyJson) {
  return JSON.parse(bodyJson).widgets.flatMap((w) => w.properties.metrics ?? []).flatMap((m) => {
    if (typeof m[0] === 'string') {
      return [[m[0], m[1]]];
    }
    const expression = m[0].expression ?? '';
    const ns = /\{([^,}]+)/.exec(expression)?.[1];
    return [...expression.matchAll(/MetricName="(\w+)"/g)].map(([, name]) => [ns, name]);
  });
}

/** Metric names the template's log metric filters publish into BedrockLambdaProxy/<stack>. */
function filterMetrics(t) {
  return Object.values(t.Resources).filter((r) => r.Type === 'AWS::Logs::MetricFilter')
    .flatMap((r) => r.Properties.MetricTransformations)
    .filter((m) => m.MetricNamespace?.['Fn::Sub'] === namespaceSub)
    .map((m) => m.MetricName);
}

/** [namespace, metric name] of every metric an alarm of the template reads. */
function alarmMetrics(t) {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm').flatMap(([id, r]) => {
    const p = r.Properties;
    const stats = p.Metrics ? p.Metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric) : [p];
    return stats.map((m) => [id, m.Namespace?.['Fn::Sub'] ?? m.Namespace, m.MetricName]);
  });
}

/** Problems: custom metrics the dashboard or an alarm reads that nothing publishes. */
function unpublished(t, emf) {
  const published = new Set([...emf, ...filterMetrics(t)]);
  const problems = [];
  for (const [ns, name] of plotted(renderBody(t, values))) {
    if (ns === namespace && !published.has(name)) {
      problems.push(`the dashboard plots ${name}, which nothing publishes`);
    } else if (ns !== namespace && !ns?.startsWith('AWS/')) {
      problems.push(`the dashboard plots ${name} in unknown namespace ${ns}`);
    }
  }
  for (const [id, ns, name] of alarmMetrics(t)) {
    if (ns === namespaceSub && !published.has(name)) {
      problems.push(`${id} reads ${name}, which nothing publishes`);
    } else if (ns !== namespaceSub && !ns?.startsWith('AWS/')) {
      problems.push(`${id} reads ${name} in unknown namespace ${JSON.stringify(ns)}`);
    }
  }
  return problems;
}

describe('dashboard and alarms', () => {
  test('EmfMetricNames_ParsedFromTheCode', () => {
    const names = emfMetricNames();
    for (const name of ['Requests', 'ClientErrors', 'BedrockErrors', 'ProxyErrors', 'CustomerThrottles', 'BedrockThrottles',
      'Latency', 'TimeToFirstToken', 'InputTokens', 'OutputTokens', 'CacheReadInputTokens', 'CacheWriteInputTokens']) {
      assert.ok(names.includes(name), `${name} not among ${names}`);
    }
    assert.ok(!names.includes('CustomerId'), 'dimension names are not metrics');
  });

  test('DashboardBody_AfterSubstitution_IsJsonWithLambdaAndProxyWidgets', () => {
    const metrics = plotted(renderBody(template, values));
    for (const name of ['Invocations', 'Errors', 'Duration', 'Throttles']) {
      assert.ok(metrics.some(([ns, m]) => ns === 'AWS/Lambda' && m === name), `no AWS/Lambda ${name}`);
    }
  });

  test('DashboardAndAlarms_ReadOnlyPublishedMetrics', () => {
    assert.deepEqual(unpublished(template, emfMetricNames()), []);
  });

  test('Dashboard_PlotsEveryMetricTheCodeWrites', () => {
    const shown = new Set(plotted(renderBody(template, values)).filter(([ns]) => ns === namespace).map(([, m]) => m));
    assert.deepEqual(emfMetricNames().filter((m) => !shown.has(m)), []);
  });

  test('MetricRenamedInCode_IsDetected', () => {
    const renamed = emfMetricNames().map((m) => (m === 'BedrockThrottles' ? 'BedrockThrottled' : m));
    const problems = unpublished(template, renamed);
    assert.ok(problems.some((p) => /dashboard plots BedrockThrottles/.test(p)), JSON.stringify(problems));
    assert.ok(problems.some((p) => /BedrockThrottleRateAlarm reads BedrockThrottles/.test(p)), JSON.stringify(problems));
  });

  test('DashboardBody_UnknownPlaceholder_Fails', () => {
    const t = structuredClone(template);
    t.Resources.ProxyDashboard.Properties.DashboardBody['Fn::Sub'] += '${Missing}';
    assert.throws(() => renderBody(t, values), /Missing/);
  });

  test('ErrorRateAndThrottleAlarms_Exist', () => {
    const read = alarmMetrics(template).map(([id, , name]) => `${id}:${name}`);
    assert.ok(read.includes('BedrockErrorRateAlarm:BedrockErrors'), read.join(' '));
    assert.ok(read.includes('BedrockErrorRateAlarm:Requests'), read.join(' '));
    assert.ok(read.includes('BedrockThrottleRateAlarm:BedrockThrottles'), read.join(' '));
  });

  test('UnwrittenUsageAlarm_PointsAtTheReplayCommandTheCliHas', () => {
    const alarm = template.Resources.UsageRecordsUnwrittenAlarm;
    assert.equal(alarm?.Properties.MetricName, 'UsageRecordsUnwritten');
    assert.match(alarm.Properties.AlarmDescription, /bedrock-proxy-admin usage replay /);
    // The command the description names exists: a "replay" subcommand of "usage".
    const usageCommand = readFileSync(join(repoRoot, 'src', 'BedrockLambdaProxy.Admin', 'Commands', 'UsageCommand.cs'), 'utf8');
    assert.match(usageCommand, /new Command\("replay"/);
  });

  test('MetricsNamespace_SameInFunctionOutputAndDashboard', () => {
    assert.equal(template.Outputs.MetricsNamespace.Value['Fn::Sub'], namespaceSub);
    assert.equal(template.Resources.ProxyFunction.Properties.Environment.Variables.METRICS_NAMESPACE['Fn::Sub'], namespaceSub);
  });

  test('OldSeparateDashboard_IsGone', () => {
    // One dashboard: the template's. A second one reading other metrics would disagree with it.
    assert.equal(existsSync(join(repoRoot, 'infra', 'dashboard.yaml')), false);
  });
});
