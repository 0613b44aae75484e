import { describe, expect, it, jest } from '@jest/globals';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { signBody, WebhookSender } from '../src/webhook-sender';

/** A receiver whose answer to each request the test decides: `hang` never answers it. */
async function scriptedReceiver(answers: ('hang' | number)[]): Promise<{ url: string; bodies: string[]; signatures: (string | undefined)[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const signatures: (string | undefined)[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      signatures.push(req.headers['x-test-signature'] as string | undefined);
      const answer = answers.shift() ?? 204;
      if (answer === 'hang') hanging.push(res);
      else res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    bodies,
    signatures,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('WebhookSender', () => {
  it('gives up on an attempt that gets no answer within the timeout and delivers on the next, signed', async () => {
    const receiver = await scriptedReceiver(['hang', 503, 204]);
    const sender = new WebhookSender({ url: receiver.url, secret: 'k', signatureHeader: 'X-Test-Signature', attempts: 3, retryDelayMs: 10, timeoutMs: 300 }, 'test');
    try {
      const started = Date.now();
      sender.send({ n: 1 });
      await sender.idle();
      expect(receiver.bodies).toEqual(['{"n":1}', '{"n":1}', '{"n":1}']);
      expect(receiver.signatures).toEqual(Array(3).fill(signBody('{"n":1}', 'k')));
      // The hung first attempt was cut off by the timeout, not waited out.
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await sender.close();
      await receiver.close();
    }
  });

  it('warns once after its last attempt fails, and close() abandons a delivery in flight', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const failing = await scriptedReceiver([500, 500]);
    const hung = await scriptedReceiver(['hang']);
    const giveUp = new WebhookSender({ url: failing.url, signatureHeader: 'X-Test-Signature', attempts: 2, retryDelayMs: 10 }, 'test');
    const abandon = new WebhookSender({ url: hung.url, signatureHeader: 'X-Test-Signature', timeoutMs: 60_000 }, 'test');
    try {
      giveUp.send({ n: 2 });
      await giveUp.idle();
      expect(failing.bodies).toHaveLength(2);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toContain('failed after 2 attempts (HTTP 500)');

      abandon.send({ n: 3 });
      while (hung.bodies.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const closing = Date.now();
      await abandon.close();
      expect(Date.now() - closing).toBeLessThan(5_000);
      // Abandoned on purpose: no warning for it.
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
      await giveUp.close();
      await abandon.close();
      await failing.close();
      await hung.close();
    }
  });
});
