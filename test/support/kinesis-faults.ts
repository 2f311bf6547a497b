import type {
  KinesisClient,
  PutRecordsCommandInput,
  PutRecordsCommandOutput,
} from '@aws-sdk/client-kinesis';

/**
 * Make the next PutRecords calls partially fail the way Kinesis does under throttling: the
 * chosen entries are taken out of the request before it is sent (so the emulator never stores
 * them) and put back into the response as `ProvisionedThroughputExceededException` results at
 * their positions. Everything else goes through the real SDK and the real emulator.
 *
 * @example
 * const faults = injectPutRecordsFaults(client, (call, i) => call === 1 && i % 2 === 0);
 */
export function injectPutRecordsFaults(
  client: KinesisClient,
  reject: (call: number, index: number) => boolean,
): { calls: number[]; remove(): void } {
  const calls: number[] = [];
  const name = `fault-injection-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'PutRecordsCommand') return next(args);
      const input = args.input as PutRecordsCommandInput;
      const call = calls.length + 1;
      const all = input.Records ?? [];
      calls.push(all.length);
      const rejected = all.map((_, i) => reject(call, i));
      const sent = all.filter((_, i) => !rejected[i]);
      const result =
        sent.length > 0
          ? await next({ ...args, input: { ...input, Records: sent } })
          : { output: { Records: [], FailedRecordCount: 0, $metadata: {} }, response: {} };
      const output = result.output as PutRecordsCommandOutput;
      const answered = [...(output.Records ?? [])];
      output.Records = rejected.map((isRejected) =>
        isRejected
          ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'injected' }
          : (answered.shift() ?? {}),
      );
      output.FailedRecordCount = rejected.filter(Boolean).length;
      return result;
    },
    { step: 'initialize', name },
  );
  return { calls, remove: () => client.middlewareStack.remove(name) };
}
