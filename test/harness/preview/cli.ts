/**
 * npm run preview [-- --port N]
 *   B24_WEBHOOK_URL=<url> npm run preview             (the URL from the environment)
 *   printf '%s\n' "$URL" | npm run preview -- --webhook -   (from standard input)
 * The URL is never taken from the command line: a process's arguments are visible to every local
 * user (`ps`), and a webhook URL carries its secret code.
 * Prints one line: "preview: http://127.0.0.1:PORT/#<token>", or one line saying what is wrong.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startPreview } from './server';

const USAGE = 'Give the webhook URL in B24_WEBHOOK_URL, or pipe it in with --webhook - (never on the command line: other users can read it there).';

function fail(message: string): never {
  process.stderr.write(`preview: ${message}\n`);
  process.exit(1);
}

async function firstLineOfStdin(): Promise<string> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line.trim();
  }
  return '';
}

async function main(): Promise<void> {
  let values: { webhook?: string; port?: string };
  try {
    ({ values } = parseArgs({ options: { webhook: { type: 'string' }, port: { type: 'string' } } }));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}. ${USAGE}`);
  }
  if (values.webhook !== undefined && values.webhook !== '-') fail(`--webhook takes only "-". ${USAGE}`);
  const webhook = values.webhook === '-' ? await firstLineOfStdin() : process.env.B24_WEBHOOK_URL?.trim();
  if (values.webhook === '-' && !webhook) fail(`nothing arrived on standard input. ${USAGE}`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) fail('--port takes a port number (0–65535).');
  let preview;
  try {
    preview = await startPreview({ ...(webhook ? { webhook } : {}), ...(port !== undefined ? { port } : {}) });
  } catch (error) {
    // Connect errors say what is wrong with what was given, and never echo the URL (it holds the code).
    fail(error instanceof Error ? error.message : String(error));
  }
  console.log(`preview: ${preview.url}`);
  const stop = (): void => void preview.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
