/**
 * Standalone portal simulator for manual runs:
 *   npx tsx test/portal-sim/cli.ts [--port N] [--code CODE] [--demo]
 * The first output line is always `webhook: <url>`; Ctrl+C (SIGINT) or SIGTERM stops it.
 */
import { parseArgs } from 'node:util';
import { startPortalSim, type PortalSim } from './index';

function seedDemo(sim: PortalSim): void {
  sim.addConfirm({
    title: 'Invitation to join group "Marketing"',
    text: 'Maria Ivanova invites you to join the workgroup [URL=/workgroups/group/12/]Marketing[/URL].',
    buttons: [
      { title: 'Accept', value: 'Y', type: 'accept' },
      { title: 'Decline', value: 'N', type: 'cancel' },
    ],
    tag: `SOCNET|INVITE_GROUP|${sim.userId}|41`,
    module: 'socialnetwork',
    event: 'invite_group_btn',
    authorId: 3,
    resultMessage: 'You have joined the group "Marketing".',
  });
  sim.addConfirm({
    title: 'Meeting invitation',
    text: 'Peter Novak invites you to "Sprint review" on Friday 15:00 – 16:00.',
    buttons: [
      { title: 'Attend', value: 'Y', type: 'accept' },
      { title: 'Decline', value: 'N', type: 'cancel' },
    ],
    tag: `CALENDAR|INVITE|907|${sim.userId}`,
    module: 'calendar',
    event: 'invite',
    authorId: 5,
  });
  sim.addPersonal({
    text: 'Please review the release notes: [URL=https://example.com/release/2.4]Release 2.4[/URL]',
    authorId: 3,
    module: 'tasks',
    event: 'comment',
    quickReply: true,
  });
  sim.addSystem({ text: 'Scheduled maintenance tonight from 23:00 to 23:30 UTC.', module: 'rest', event: 'rest_notify' });
}

function helpText(sim: PortalSim): string {
  const confirmExample = JSON.stringify({
    title: 'Invitation',
    text: 'Join the workgroup [URL=/workgroups/group/12/]Marketing[/URL]?',
    tag: 'SOCNET|INVITE_GROUP|1|42',
    module: 'socialnetwork',
    event: 'invite_group_btn',
    authorId: 3,
  });
  return [
    `oauth token endpoint: ${sim.tokenUrl}`,
    '',
    'Add a confirm notification:',
    `  curl -s -X POST ${sim.origin}/_sim/confirm -H 'content-type: application/json' -d '${confirmExample}'`,
    `Also POST /_sim/personal, /_sim/system {text,…}; /_sim/answer-in-browser {id,value}; /_sim/delete-in-browser {id};`,
    `     /_sim/fault {kind,…, match:{restMethod,times}}; /_sim/clear-faults; /_sim/reset-limits`,
    `State: curl -s ${sim.origin}/_sim/state`,
    'Stop with Ctrl+C.',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      code: { type: 'string' },
      demo: { type: 'boolean', default: false },
    },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  const sim = await startPortalSim({ port, restApAuthAllowHttp: true, ...(values.code ? { webhookCode: values.code } : {}) });
  if (values.demo) seedDemo(sim);
  process.stdout.write(`webhook: ${sim.webhookUrl}\n${helpText(sim)}\n`);

  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`portal-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
