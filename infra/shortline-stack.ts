import { createHash } from 'node:crypto';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { BASE_ALPHABET, isValidAlphabet } from '../src/shortener/codes.ts';
import { ShortlineApi } from './api.ts';
import { ShortlineConfigService } from './config-service.ts';
import { ShortlineData } from './data.ts';
import { ShortlineMonitoring } from './monitoring.ts';
import { ShortlineProcessor } from './processing.ts';
import type { StageSettings } from './stages.ts';

export interface ShortlineStackProps extends StackProps {
  settings: StageSettings;
  /** The code alphabet; by default a permutation derived from the stack name (set your own). */
  codeAlphabet?: string;
  baseUrl?: string;
}

/** A permutation of the base alphabet fixed by `seed`, so a redeploy keeps the same codes. */
export function seededAlphabet(seed: string): string {
  const chars = [...BASE_ALPHABET];
  let state = createHash('sha256').update(seed).digest();
  for (let i = chars.length - 1; i > 0; i--) {
    state = createHash('sha256').update(state).digest();
    const j = state.readUInt32BE(0) % (i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

/**
 * shortline on AWS for one stage: data (DynamoDB, Kinesis), the API, the config service, the
 * processors with their retry queues and dead letters, and the alarms and dashboard.
 *
 * @example
 * new ShortlineStack(app, 'shortline-dev', { settings: stageSettings('dev') });
 */
export class ShortlineStack extends Stack {
  constructor(scope: Construct, id: string, props: ShortlineStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const codeAlphabet = props.codeAlphabet ?? seededAlphabet(`shortline/${id}`);
    if (!isValidAlphabet(codeAlphabet)) {
      throw new Error('codeAlphabet must be a permutation of the 62-character base alphabet');
    }
    const data = new ShortlineData(this, 'Data', settings);
    const api = new ShortlineApi(this, 'Shortener', {
      data,
      settings,
      codeAlphabet,
      redirectMaxAge: 300,
      ...(props.baseUrl ? { baseUrl: props.baseUrl } : {}),
    });
    const config = new ShortlineConfigService(this, 'Config', { settings, api: api.api });
    const visitCounter = new ShortlineProcessor(this, 'VisitCounter', {
      name: 'visit-counter',
      maxReceives: 3,
      data,
      settings,
    });
    new ShortlineMonitoring(this, 'Monitoring', {
      settings,
      api,
      data,
      processors: [visitCounter],
    });
    new CfnOutput(this, 'ApiUrl', {
      value: api.api.url,
      description: 'TEST_BASE_URL for npm run test:acceptance',
    });
    // Config clients append `/config/...` themselves, so their URL is the stage URL.
    new CfnOutput(this, 'ConfigUrl', {
      value: api.api.url,
      description:
        'SHORTLINE_CONFIG_URL (shortline config --url); the service answers under /config',
    });
    new CfnOutput(this, 'ConfigTable', { value: config.table.tableName });
    new CfnOutput(this, 'ConfigKmsKeyId', { value: config.key.keyArn });
    new CfnOutput(this, 'LinksTable', { value: data.table.tableName });
    new CfnOutput(this, 'EventsStream', { value: data.stream.streamName });
    new CfnOutput(this, 'VisitCounterDeadLetters', {
      value: visitCounter.deadLetterQueue.queueUrl,
    });
  }
}
