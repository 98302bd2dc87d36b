/**
 * npm run demo: two portal simulators with a few realistic notifications each, and the preview
 * connected to both (one merged inbox, each item labelled with its portal). Prints the URL to open.
 */
import { systemClock } from '../../../main/core/clock';
import { startPortalSim } from '../../portal-sim';
import { ARRIVAL_EVERY_MS, FIRST_ARRIVAL_MS, startArrivals } from './demo-arrivals';
import { startPreview } from './server';

const ACCEPT_DECLINE = [
  { title: 'Accept', value: 'Y', type: 'accept' as const },
  { title: 'Decline', value: 'N', type: 'cancel' as const },
];

const office = await startPortalSim({ restApAuthAllowHttp: true });
office.addPersonal({ text: 'Commented on the task [URL=/company/personal/user/1/tasks/task/view/42/]Prepare the Q3 report[/URL]: “Numbers are in the shared folder.”', authorId: 5, quickReply: true, module: 'tasks', event: 'comment' });
office.addSystem({ text: 'The nightly backup finished without errors.' });
office.addConfirm({
  title: 'Invitation to join group &quot;Marketing&quot;',
  text: 'You are invited to join the workgroup [URL=/workgroups/group/12/]Marketing[/URL]',
  buttons: ACCEPT_DECLINE,
  module: 'socialnetwork',
  event: 'invite_group_btn',
  tag: 'SOCNET|INVITE_GROUP|1|41',
  authorId: 5,
  resultMessage: 'You have joined the group Marketing',
});
office.addConfirm({
  title: 'Meeting: Q3 planning, Thursday 10:00',
  text: '[USER=3]Maria Ivanova[/USER] invites you to the meeting [B]Q3 planning[/B]',
  buttons: ACCEPT_DECLINE,
  module: 'calendar',
  event: 'invite',
  tag: 'CALENDAR|INVITE|77|1',
  authorId: 3,
  resultMessage: 'Invitation accepted',
});

// A client's portal: its ids overlap the first one's, as real portals' do.
const client = await startPortalSim({ restApAuthAllowHttp: true });
client.addConfirm({
  title: 'Meeting: contract review, Friday 15:00',
  text: '[USER=3]Maria Ivanova[/USER] invites you to [B]Contract review[/B] with the client team',
  buttons: ACCEPT_DECLINE,
  module: 'calendar',
  event: 'invite',
  tag: 'CALENDAR|INVITE|91|1',
  authorId: 3,
  resultMessage: 'See you on Friday',
});
client.addPersonal({ text: 'Mentioned you in [URL=/crm/deal/details/318/]Deal #318 — annual licence[/URL]', authorId: 5, module: 'crm', event: 'mention' });

const preview = await startPreview({
  webhooks: [
    { url: office.webhookUrl, name: 'Our office' },
    { url: client.webhookUrl, name: 'Client portal' },
  ],
});
const stopArrivals = startArrivals([office, client], systemClock);
console.log(`portal: ${office.webhookUrl}  (Our office)`);
console.log(`portal: ${client.webhookUrl}  (Client portal)`);
console.log(`A new notification arrives in ${FIRST_ARRIVAL_MS / 1000} s and then every ${ARRIVAL_EVERY_MS / 60_000} minutes (a meeting invitation, then a comment).`);
console.log(`Add your own: curl -X POST ${office.origin}/_sim/confirm -d '{"text":"Join the call?"}'  (also /_sim/personal, /_sim/system)`);
console.log(`preview: ${preview.url}`);
const stop = (): void => {
  stopArrivals();
  void Promise.all([preview.close(), office.close(), client.close()]).then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
