import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'process-tracker.process-tracker';

describe('activation', () => {
  it('activates process-tracker.process-tracker', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded in this VS Code`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers processTracker.showAgentStatus', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(
      commands.includes('processTracker.showAgentStatus'),
      'processTracker.showAgentStatus is not registered',
    );
  });
});
