/** Staff mode (password, visual check with the chip photo, back to unattended) and service screens (pairing, update, out of service). */
import type { ScreenDef } from '../screen-def.ts';

export const staffPassword = {
  id: 'staff-password',
  template: 'pinpad',
  tone: 'info',
  title: 'staff.password.title',
  body: [],
  buttons: [
    { id: 'cancel', label: 'btn.cancel', kind: 'secondary' },
    { id: 'clear', label: 'btn.clear', kind: 'secondary' },
    { id: 'enter', label: 'btn.enter', kind: 'primary', default: true },
  ],
  pad: { shuffle: false, length: 16, enter: true, wrong: 'staff.password.wrong' }, // STAFF_PASSWORD_MAX_DIGITS
} satisfies ScreenDef<'staff-password'>;

export const staffVisualCheck = {
  id: 'staff-check',
  template: 'photo',
  tone: 'info',
  title: 'staff.check.title',
  body: ['staff.check.body'],
  buttons: [
    { id: 'confirm', label: 'staff.check.confirm', kind: 'primary' },
    { id: 'reject', label: 'staff.check.reject', kind: 'danger' },
  ],
} satisfies ScreenDef<'staff-check'>;

export const staffReturn = {
  id: 'staff-done',
  template: 'message',
  tone: 'info',
  title: 'staff.return.title',
  body: ['staff.return.body'],
  buttons: [{ id: 'return', label: 'staff.return.now', kind: 'primary', default: true }],
} satisfies ScreenDef<'staff-done'>;

export const pairing = {
  id: 'pairing',
  template: 'qr',
  tone: 'info',
  title: 'pairing.title',
  body: ['pairing.body', 'pairing.code'],
  buttons: [{ id: 'cancel', label: 'btn.cancel', kind: 'secondary' }],
} satisfies ScreenDef<'pairing'>;

export const updating = {
  id: 'updating',
  template: 'progress',
  tone: 'info',
  title: 'update.title',
  body: ['update.body', 'update.progress'],
  buttons: [],
} satisfies ScreenDef<'updating'>;

export const outOfService = {
  id: 'out-of-service',
  template: 'message',
  tone: 'error',
  title: 'outOfService.title',
  body: ['outOfService.body'],
  buttons: [],
} satisfies ScreenDef<'out-of-service'>;
