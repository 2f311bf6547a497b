import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';
import { LINK_TABLE } from '../src/adapters/aws/link-table.ts';
import type { StageSettings } from './stages.ts';

/**
 * The stateful part: the links table (on demand; the same key schema and index as
 * `linkTableDefinition`, which the tests create on dynalite) and the events stream.
 */
export class ShortlineData extends Construct {
  readonly table: TableV2;
  readonly stream: Stream;

  constructor(scope: Construct, id: string, settings: StageSettings) {
    super(scope, id);
    const removalPolicy = settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.table = new TableV2(this, 'Links', {
      partitionKey: { name: LINK_TABLE.partitionKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      globalSecondaryIndexes: [
        {
          indexName: LINK_TABLE.codeIndex,
          partitionKey: { name: LINK_TABLE.codeAttribute, type: AttributeType.STRING },
          projectionType: ProjectionType.ALL,
        },
      ],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: settings.retainData,
      removalPolicy,
    });
    this.stream = new Stream(this, 'Events', {
      shardCount: settings.shards,
      streamMode: StreamMode.PROVISIONED,
      encryption: StreamEncryption.MANAGED,
      removalPolicy,
    });
  }
}
