/**
 * IPC handlers. Each checks that the message comes from our own renderer page before answering.
 */
import { app, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { pathToFileURL } from 'node:url';
import { IpcChannels, type AppInfo } from '../shared/ipc-contract';

export function registerIpcHandlers(rendererIndexPath: string): void {
  const rendererUrl = pathToFileURL(rendererIndexPath).href;
  const fromOurPage = (event: IpcMainInvokeEvent): boolean => event.senderFrame?.url.split('#')[0] === rendererUrl;

  ipcMain.handle(IpcChannels.appInfo, (event): AppInfo => {
    if (!fromOurPage(event)) throw new Error('IPC refused: unknown sender');
    return { version: app.getVersion(), platform: process.platform };
  });
}
