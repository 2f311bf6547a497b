// Lambda entry: one stream processor (SHORTLINE_PROCESSOR) on a Kinesis event source mapping.
import { defaultClients } from '../clients.ts';
import { createProcessorLambda } from '../processor-lambda.ts';

export const handler = createProcessorLambda(process.env, defaultClients());
