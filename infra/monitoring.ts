import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ShortlineApi } from './api.ts';
import type { ShortlineData } from './data.ts';
import type { ShortlineProcessor } from './processing.ts';
import type { StageSettings } from './stages.ts';

export interface MonitoringProps {
  settings: StageSettings;
  api: ShortlineApi;
  data: ShortlineData;
  processors: ShortlineProcessor[];
}

/**
 * Alarms on what needs a person (dead letters waiting, processors falling behind the stream,
 * API errors) sent to one SNS topic, and a dashboard of the whole path.
 */
export class ShortlineMonitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { settings, api, processors } = props;
    // A customer-managed key: CloudWatch cannot publish to a topic under the AWS-managed SNS key.
    const key = new Key(this, 'AlarmsKey', {
      enableKeyRotation: true,
      description: 'shortline alarms topic',
    });
    key.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.topic = new Topic(this, 'Alarms', { masterKey: key, enforceSSL: true });
    const action = new SnsAction(this.topic);
    const alarm = (name: string, metric: IMetric, threshold: number, description: string) => {
      const a = new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
      return a;
    };
    const minute = Duration.minutes(1);
    for (const p of processors) {
      const name = p.node.id;
      alarm(
        `${name}DeadLetters`,
        p.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: minute,
          statistic: 'Maximum',
        }),
        1,
        `${name}: records in dead letters; inspect and redrive them`,
      );
      alarm(
        `${name}Discarded`,
        p.discarded.metricApproximateNumberOfMessagesVisible({
          period: minute,
          statistic: 'Maximum',
        }),
        1,
        `${name}: the Kinesis mapping gave up on a batch`,
      );
      alarm(
        `${name}IteratorAge`,
        p.processor.fn.metric('IteratorAge', { period: minute, statistic: 'Maximum' }),
        settings.iteratorAgeAlarmMs,
        `${name}: more than ${settings.iteratorAgeAlarmMs} ms behind the stream`,
      );
    }
    alarm(
      'Api5xx',
      api.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      5,
      'API answering 5xx',
    );

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `shortline-${settings.stage}`,
      widgets: [
        [
          new GraphWidget({
            title: 'API requests and errors',
            left: [api.api.metricCount({ statistic: 'Sum' })],
            right: [
              api.api.metricClientError({ statistic: 'Sum' }),
              api.api.metricServerError({ statistic: 'Sum' }),
            ],
          }),
          new GraphWidget({
            title: 'API latency (p50, p99)',
            left: [
              api.api.metricLatency({ statistic: 'p50' }),
              api.api.metricLatency({ statistic: 'p99' }),
            ],
            right: [api.api.metricCacheHitCount({ statistic: 'Sum' })],
          }),
        ],
        [
          new GraphWidget({
            title: 'Processor iterator age (ms)',
            left: processors.map((p) =>
              p.processor.fn.metric('IteratorAge', { statistic: 'Maximum' }),
            ),
          }),
          new GraphWidget({
            title: 'Retry queues and dead letters',
            left: processors.map((p) => p.retryQueue.metricApproximateNumberOfMessagesVisible()),
            right: processors.map((p) =>
              p.deadLetterQueue.metricApproximateNumberOfMessagesVisible(),
            ),
          }),
        ],
        [
          new GraphWidget({
            title: 'Lambda errors',
            left: [
              api.handler.fn,
              ...processors.flatMap((p) => [p.processor.fn, p.retryWorker.fn]),
            ].map((fn) => fn.metricErrors({ statistic: 'Sum' })),
          }),
          new GraphWidget({
            title: 'Links table writes and throttles',
            left: [props.data.table.metricConsumedWriteCapacityUnits()],
            right: [
              new Metric({
                namespace: 'AWS/DynamoDB',
                metricName: 'WriteThrottleEvents',
                dimensionsMap: { TableName: props.data.table.tableName },
                statistic: 'Sum',
              }),
            ],
          }),
        ],
      ],
    });
  }
}
