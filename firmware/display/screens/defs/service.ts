/** Staff mode (password, visual check with the chip photo, back to unattended) and service screens (pairing, update, out of service). */
import type { ScreenDef } from '../screen-def.ts';

export const staffPassword: ScreenDef = {
  id: 'staff-password', template: 'pinpad', tone: 'info', title: 'staff.password.title', body: [],
  buttons: [{ id: 'cancel', label: 'btn.cancel', kind: 'secondary' }, { id: 'clear', label: 'btn.clear', kind: 'secondary' }, { id: 'enter', label: 'btn.enter', kind: 'primary', default: true }],
  pad: { shuffle: false, length: 16, enter: true, wrong: 'staff.password.wrong' }, // STAFF_PASSWORD_MAX_DIGITS
};

export const staffVisualCheck: ScreenDef = {
  id: 'staff-visual-check', template: 'photo', tone: 'info', title: 'staff.check.title', body: ['staff.check.body'],
  buttons: [{ id: 'confirm', label: 'staff.check.confirm', kind: 'primary' }, { id: 'reject', label: 'staff.check.reject', kind: 'danger' }],
};

export const staffReturn: ScreenDef = {
  id: 'staff-return', template: 'message', tone: 'info', title: 'staff.return.title', body: ['staff.return.body'],
  buttons: [{ id: 'return', label: 'staff.return.now', kind: 'primary', default: true }],
};

export const pairing: ScreenDef = {
  id: 'pairing', template: 'qr', tone: 'info', title: 'pairing.title', body: ['pairing.body', 'pairing.code'],
  buttons: [{ id: 'cancel', label: 'btn.cancel', kind: 'secondary' }],
};

export const updating: ScreenDef = {
  id: 'updating', template: 'progress', tone: 'info', title: 'update.title', body: ['update.body', 'update.progress'], buttons: [],
};

export const outOfService: ScreenDef = {
  id: 'out-of-service', template: 'message', tone: 'error', title: 'outOfService.title', body: ['outOfService.body'], buttons: [],
};
