// infra/: the dashboard reads the metrics template.yaml's metric filters produce, and its body is
// valid dashboard JSON once CloudFormation has substituted the parameters.
// Run: node --test test/js/infra.test.mjs
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot, loadTemplate } from './cfn-template.mjs';

const template = loadTemplate();
const dashboard = loadTemplate(join(repoRoot, 'infra', 'dashboard.yaml'));

/** Does what Fn::Sub does with the dashboard's parameters and pseudo parameters. */
function renderBody(dash, values) {
  const body = dash.Resources.ProxyDashboard.Properties.DashboardBody['Fn::Sub'];
  return body.replace(/\$\{([\w:]+)\}/g, (_, name) => {
    assert.ok(name in values, `DashboardBody uses \${${name}}, which is not a parameter`);
    return values[name];
  });
}

const values = {
  'AWS::Region': 'eu-west-1', FunctionName: 'fn', ApiName: 'api', MetricsNamespace: 'BedrockLambdaProxy/s', StageName: 'v1',
};

/** [namespace, metric name] of every metric a dashboard body plots. */
function plotted(bodyJson) {
  return JSON.parse(bodyJson).widgets.flatMap((w) => w.properties.metrics ?? []).map((m) => [m[0], m[1]]);
}

/** Metric names template.yaml's log metric filters publish into BedrockLambdaProxy/<stack>. */
function filterMetrics(t) {
  return Object.values(t.Resources).filter((r) => r.Type === 'AWS::Logs::MetricFilter')
    .flatMap((r) => r.Properties.MetricTransformations)
    .filter((m) => m.MetricNamespace?.['Fn::Sub'] === 'BedrockLambdaProxy/${AWS::StackName}')
    .map((m) => m.MetricName);
}

describe('dashboard', () => {
  test('DashboardBody_AfterSubstitution_IsJsonWithWidgets', () => {
    const metrics = plotted(renderBody(dashboard, values));
    assert.ok(metrics.length >= 10, `only ${metrics.length} metrics plotted`);
    for (const name of ['Invocations', 'Errors', 'Duration', 'Throttles']) {
      assert.ok(metrics.some(([ns, m]) => ns === 'AWS/Lambda' && m === name), `no AWS/Lambda ${name}`);
    }
  });

  test('DashboardCustomMetrics_AreAllPublishedByTemplateFilters', () => {
    const published = filterMetrics(template);
    assert.deepEqual(published.toSorted(), ['BedrockErrors', 'InputTokens', 'OutputTokens', 'UsageRecordsUnwritten']);
    const custom = plotted(renderBody(dashboard, values)).filter(([ns]) => ns === values.MetricsNamespace).map(([, m]) => m);
    assert.deepEqual([...new Set(custom)].toSorted(), published.toSorted());
  });

  test('DashboardCustomMetric_NotPublished_IsDetected', () => {
    const t = structuredClone(template);
    delete t.Resources.OutputTokensMetricFilter;
    const custom = plotted(renderBody(dashboard, values)).filter(([ns]) => ns === values.MetricsNamespace).map(([, m]) => m);
    assert.notDeepEqual([...new Set(custom)].toSorted(), filterMetrics(t).toSorted());
  });

  test('DashboardBody_UnknownPlaceholder_Fails', () => {
    const d = structuredClone(dashboard);
    d.Resources.ProxyDashboard.Properties.DashboardBody['Fn::Sub'] += '${Missing}';
    assert.throws(() => renderBody(d, values), /Missing/);
  });

  test('MetricsNamespaceOutput_MatchesTheFilters', () => {
    assert.equal(template.Outputs.MetricsNamespace.Value['Fn::Sub'], 'BedrockLambdaProxy/${AWS::StackName}');
    for (const alarmMetric of template.Resources.BedrockErrorRateAlarm.Properties.Metrics.filter((m) => m.MetricStat)) {
      const ns = alarmMetric.MetricStat.Metric.Namespace;
      assert.ok(ns === 'AWS/Lambda' || ns['Fn::Sub'] === 'BedrockLambdaProxy/${AWS::StackName}', JSON.stringify(ns));
    }
  });
});
