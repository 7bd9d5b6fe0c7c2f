/**
 * npm run sandbox -- --port 4010 [--auto-approve] [--client-id X --client-secret Y --redirect-uri Z]
 *                    [--time-scale N] [--latency-ms N] [--state-file PATH [--reset-state]] [--demo-data]
 * Starts the QBO sandbox and prints its base URL (the only line on stdout, so scripts can read it).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startSandbox, type StartSandboxOptions } from './server';

const USAGE =
  'usage: npm run sandbox -- [--port N] [--auto-approve] [--client-id X --client-secret Y --redirect-uri Z] [--time-scale N] [--latency-ms N] [--state-file PATH [--reset-state]] [--demo-data]';

const numberArg = z.coerce.number().finite().nonnegative();

function optionsFrom(argv: string[]): StartSandboxOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      'auto-approve': { type: 'boolean', default: false },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'redirect-uri': { type: 'string' },
      'time-scale': { type: 'string' },
      'latency-ms': { type: 'string' },
      'state-file': { type: 'string' },
      'reset-state': { type: 'boolean', default: false },
      'demo-data': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const options: StartSandboxOptions = {
    port: z.coerce.number().int().min(0).max(65535).parse(values.port),
    autoApprove: values['auto-approve'],
  };
  if (values['client-id'] !== undefined) options.clientId = values['client-id'];
  if (values['client-secret'] !== undefined) options.clientSecret = values['client-secret'];
  if (values['redirect-uri'] !== undefined) options.redirectUri = values['redirect-uri'];
  if (values['time-scale'] !== undefined) options.timeScale = numberArg.positive().parse(values['time-scale']);
  if (values['latency-ms'] !== undefined) options.latencyMs = numberArg.parse(values['latency-ms']);
  if (values['state-file'] !== undefined) options.stateFile = values['state-file'];
  if (values['reset-state']) options.resetState = true;
  if (values['demo-data']) options.demoData = true;
  return options;
}

async function main(): Promise<void> {
  let options: StartSandboxOptions;
  try {
    options = optionsFrom(process.argv.slice(2));
  } catch (error: unknown) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox(options);
  } catch (error: unknown) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  process.stdout.write(`${sandbox.baseUrl}\n`);
  process.stderr.write(`QBO sandbox: default realm ${sandbox.defaultRealmId}; control API at ${sandbox.baseUrl}/_control\n`);
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
