// Lambda entry: the shortener API (API Gateway REST or HTTP API events).
import { createApiLambda } from '../api-lambda.ts';
import { defaultClients } from '../clients.ts';

export const handler = createApiLambda(process.env, defaultClients()).handler;
