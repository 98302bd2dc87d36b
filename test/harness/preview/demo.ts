/**
 * npm run demo: the portal simulator with a few realistic notifications, and the preview against
 * it. Prints the URL to open.
 */
import { startPortalSim } from '../../portal-sim';
import { startPreview } from './server';

const portal = await startPortalSim();
portal.addPersonal({ text: 'Commented on the task [URL=/company/personal/user/1/tasks/task/view/42/]Prepare the Q3 report[/URL]: “Numbers are in the shared folder.”', authorId: 5, quickReply: true });
portal.addSystem({ text: 'The nightly backup finished without errors.' });
portal.addConfirm({
  title: 'Invitation to join group &quot;Marketing&quot;',
  text: 'You are invited to join the workgroup [URL=/workgroups/group/12/]Marketing[/URL]',
  buttons: [{ title: 'Accept', value: 'Y', type: 'accept' }, { title: 'Decline', value: 'N', type: 'cancel' }],
  module: 'socialnetwork',
  event: 'invite_group_btn',
  tag: 'SOCNET|INVITE_GROUP|1|41',
  authorId: 5,
  resultMessage: 'You have joined the group Marketing',
});
portal.addConfirm({
  title: 'Meeting: Q3 planning, Thursday 10:00',
  text: '[USER=3]Maria Ivanova[/USER] invites you to the meeting [B]Q3 planning[/B]',
  buttons: [{ title: 'Accept', value: 'Y', type: 'accept' }, { title: 'Decline', value: 'N', type: 'cancel' }],
  module: 'calendar',
  event: 'invite',
  tag: 'CALENDAR|INVITE|77|1',
  authorId: 3,
  resultMessage: 'Invitation accepted',
});
const preview = await startPreview({ webhook: portal.webhookUrl });
console.log(`portal: ${portal.webhookUrl}`);
console.log(`preview: ${preview.url}`);
const stop = (): void => void Promise.all([preview.close(), portal.close()]).then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
