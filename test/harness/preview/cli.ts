/**
 * npm run preview -- --webhook <url> [--port N]
 * Prints one line: "preview: http://127.0.0.1:PORT/#<token>".
 */
import { parseArgs } from 'node:util';
import { startPreview } from './server';

const { values } = parseArgs({ options: { webhook: { type: 'string' }, port: { type: 'string' } } });
const preview = await startPreview({
  ...(values.webhook ? { webhook: values.webhook } : {}),
  ...(values.port ? { port: Number(values.port) } : {}),
});
console.log(`preview: ${preview.url}`);
const stop = (): void => void preview.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
