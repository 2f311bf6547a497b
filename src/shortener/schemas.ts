import { z } from '@hono/zod-openapi';
import { MAX_URL_LENGTH, SLUG_PATTERN } from './validation.ts';

/** The body of `POST /`, as JSON or as a form post. Semantic checks follow in `checkUrl`. */
export const CreateLinkBody = z
  .object({
    url: z
      .string()
      .max(MAX_URL_LENGTH * 3)
      .openapi({
        example: 'https://example.com/some/long/path',
        description: 'absolute http(s) URL, at most 2,048 characters, no credentials',
      }),
    slug: z
      .string()
      .regex(SLUG_PATTERN)
      .optional()
      .openapi({ example: 'spring-sale', description: 'custom code: 3-64 of A-Z a-z 0-9 - _' }),
  })
  .openapi('CreateLink');

export const LinkCreated = z
  .object({
    code: z.string().openapi({ example: 'Xk9aQ' }),
    shortUrl: z.string().openapi({ example: 'https://sho.rt/Xk9aQ' }),
    url: z.string().openapi({ example: 'https://example.com/some/long/path' }),
  })
  .openapi('LinkCreated');

export const LinkDetails = z
  .object({
    code: z.string(),
    shortUrl: z.string(),
    url: z.string(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    visits: z.number().int().openapi({ description: 'redirects counted so far' }),
  })
  .openapi('LinkDetails');

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_url' }),
      message: z.string().openapi({ example: 'only http and https URLs can be shortened' }),
    }),
  })
  .openapi('Error');

export const CodeParam = z.object({
  code: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'code', in: 'path' }, example: 'Xk9aQ' }),
});

export const errorContent = { 'application/json': { schema: ErrorResponse } } as const;
