// Writes renderer/public/sounds/new-item.wav: the app's own short two-note chime (0.35 s, mono,
// 22.05 kHz, 16-bit), so no third-party sound is shipped. Run: node build/make-notification-sound.mjs
import { writeFileSync } from 'node:fs';

const sampleRate = 22_050;
const notes = [
  { hz: 880, startSec: 0, lengthSec: 0.18 },
  { hz: 1318.5, startSec: 0.12, lengthSec: 0.23 },
];
const totalSamples = Math.round(0.35 * sampleRate);
const pcm = new Int16Array(totalSamples);
for (const note of notes) {
  const first = Math.round(note.startSec * sampleRate);
  const count = Math.round(note.lengthSec * sampleRate);
  for (let i = 0; i < count && first + i < totalSamples; i += 1) {
    const t = i / sampleRate;
    const envelope = Math.min(1, i / 200) * Math.exp(-6 * t); // soft attack, bell-like decay
    pcm[first + i] += Math.round(0.3 * 32767 * envelope * Math.sin(2 * Math.PI * note.hz * t));
  }
}
const header = Buffer.alloc(44);
header.write('RIFF', 0);
header.writeUInt32LE(36 + pcm.byteLength, 4);
header.write('WAVEfmt ', 8);
header.writeUInt32LE(16, 16);
header.writeUInt16LE(1, 20); // PCM
header.writeUInt16LE(1, 22); // mono
header.writeUInt32LE(sampleRate, 24);
header.writeUInt32LE(sampleRate * 2, 28);
header.writeUInt16LE(2, 32);
header.writeUInt16LE(16, 34);
header.write('data', 36);
header.writeUInt32LE(pcm.byteLength, 40);
writeFileSync(new URL('../renderer/public/sounds/new-item.wav', import.meta.url), Buffer.concat([header, Buffer.from(pcm.buffer)]));
