import { expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { describeTargets, postJson, uniqueUrl } from '../support/service-target.ts';

describeTargets('visits', (target) => {
  it('counts every redirect exactly once: GET /api/links/{code} eventually reports them', async () => {
    const url = uniqueUrl('visits');
    const { code } = await (await postJson(target(), { url })).json();
    const before = await (await target().fetch(`/api/links/${code}`)).json();
    expect(before).toMatchObject({ code, url, visits: 0 });
    expect(typeof before.createdAt).toBe('string');

    const visits = 7;
    for (let i = 0; i < visits; i++) {
      expect((await target().fetch(`/${code}`)).status).toBe(308);
    }
    await eventually(
      async () => {
        const details = await (await target().fetch(`/api/links/${code}`)).json();
        expect(details.visits).toBe(visits);
      },
      { timeoutMs: 15_000, intervalMs: 50 },
    );
  });

  it('answers 404 with a JSON error for an unknown code', async () => {
    const response = await target().fetch('/api/links/zzzzzzzzzzzz');
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
  });
});
