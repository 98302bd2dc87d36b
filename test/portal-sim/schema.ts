/**
 * im.notify.schema.get (§2.10): module → {NAME, MODULE_ID, LIST: [{ID: "module|event", NAME}]},
 * for the modules the fixtures and the add methods use. Names are illustrative English texts.
 */

const MODULES: [moduleId: string, moduleName: string, events: [event: string, name: string][]][] = [
  ['im', 'Messenger', [['default', 'Notifications']]],
  [
    'socialnetwork',
    'Social Network',
    [
      ['invite_group_btn', 'Invitations to join workgroups'],
      ['request_group', 'Requests to join workgroups'],
      ['inout_group', 'Workgroup membership changes'],
    ],
  ],
  [
    'calendar',
    'Calendar',
    [
      ['invite', 'Meeting invitations'],
      ['change', 'Meeting changes'],
      ['reminder', 'Event reminders'],
    ],
  ],
  [
    'tasks',
    'Tasks',
    [
      ['comment', 'New comments in tasks'],
      ['reminder', 'Task reminders'],
      ['manage', 'Task created, changed or deleted'],
    ],
  ],
  [
    'rest',
    'Applications',
    [
      ['rest_notify', 'Application notifications'],
      ['admin_notification', 'Method confirmation requests'],
    ],
  ],
];

export const SCHEMA: Record<string, unknown> = Object.fromEntries(
  MODULES.map(([moduleId, moduleName, events]) => [
    moduleId,
    {
      NAME: moduleName,
      MODULE_ID: moduleId,
      LIST: events.map(([event, name]) => ({ ID: `${moduleId}|${event}`, NAME: name })),
    },
  ]),
);
