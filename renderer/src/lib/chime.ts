/**
 * The app's own new-item chime: two bell-like notes (A5 then E6, 0.35 s), synthesised with Web
 * Audio instead of shipping a sound file (issue 14: app.asar ≤ 1 MB). The same notes and envelope
 * the generated WAV had: a soft 9 ms attack and an exp(-6t) decay at 30 % of full scale.
 */
const NOTES = [
  { hz: 880, startSec: 0, lengthSec: 0.18 },
  { hz: 1318.5, startSec: 0.12, lengthSec: 0.23 },
] as const;
const PEAK_GAIN = 0.3;

let context: AudioContext | undefined;

export function playChime(): void {
  context ??= new AudioContext();
  const audio = context;
  const startAt = audio.currentTime + 0.01;
  for (const note of NOTES) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = note.hz;
    const begin = startAt + note.startSec;
    const end = begin + note.lengthSec;
    gain.gain.setValueAtTime(0, begin);
    gain.gain.linearRampToValueAtTime(PEAK_GAIN, begin + 0.009);
    // exp(-6t): down to e^-6·length by the note's end.
    gain.gain.exponentialRampToValueAtTime(Math.max(0.0001, PEAK_GAIN * Math.exp(-6 * note.lengthSec)), end);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(begin);
    oscillator.stop(end);
  }
  void audio.resume().catch(() => undefined);
}
