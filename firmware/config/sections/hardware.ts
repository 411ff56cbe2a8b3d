/** `hardware`: which drivers the composition root wires in. `sim` needs no hardware at all. */
export const hardwareSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    mode: { enum: ['sim', 'real'], default: 'sim' },
    cardReader: {
      type: 'object', additionalProperties: false, default: {},
      properties: {
        name: { type: 'string', description: 'substring of the PC/SC reader name to use; default: the first reader' },
        preferContactless: { type: 'boolean', default: false },
      },
    },
    camera: {
      type: 'object', additionalProperties: false, default: {},
      properties: {
        device: { type: 'string', default: '/dev/video0' },
        width: { type: 'integer', minimum: 160, maximum: 3840, default: 640 },
        height: { type: 'integer', minimum: 120, maximum: 2160, default: 480 },
        fps: { type: 'integer', minimum: 1, maximum: 120, default: 30 },
      },
    },
    cardFront: {
      type: 'object', additionalProperties: false, default: {},
      description: 'camera over the card tray for the OCR of 照合番号B; no device → the face path offers PIN or staff help',
      properties: {
        device: { type: 'string', description: 'V4L2 device, e.g. /dev/video1' },
        inputFormat: { enum: ['mjpeg', 'yuyv422'], default: 'mjpeg' },
        width: { type: 'integer', minimum: 320, maximum: 4096, default: 1280 },
        height: { type: 'integer', minimum: 240, maximum: 4096, default: 960 },
      },
    },
    display: {
      type: 'object', additionalProperties: false, default: {},
      properties: {
        device: { type: 'string', default: '/dev/fb0' },
        rotate: { enum: [0, 90, 180, 270], default: 0 },
        width: { type: 'integer', minimum: 320, maximum: 4096, default: 1024, description: 'simulator only' },
        height: { type: 'integer', minimum: 240, maximum: 4096, default: 600, description: 'simulator only' },
      },
    },
    touch: {
      type: 'object', additionalProperties: false, default: {},
      properties: { device: { type: 'string', description: 'evdev path; default: the first touchscreen found' } },
    },
    keypad: {
      type: 'object', additionalProperties: false, default: {},
      properties: {
        vendorId: { type: 'integer', minimum: 0, maximum: 65535 },
        productId: { type: 'integer', minimum: 0, maximum: 65535 },
      },
    },
    gpio: {
      type: 'object', additionalProperties: false, default: {},
      properties: {
        ledGreen: { type: 'integer', minimum: 1, maximum: 40 },
        ledRed: { type: 'integer', minimum: 1, maximum: 40 },
        buzzer: { type: 'integer', minimum: 1, maximum: 40 },
      },
    },
  },
} as const;

export interface HardwareConfig {
  mode: 'sim' | 'real';
  cardReader: { name?: string; preferContactless: boolean };
  camera: { device: string; width: number; height: number; fps: number };
  cardFront: { device?: string; inputFormat: 'mjpeg' | 'yuyv422'; width: number; height: number };
  display: { device: string; rotate: 0 | 90 | 180 | 270; width: number; height: number };
  touch: { device?: string };
  keypad: { vendorId?: number; productId?: number };
  gpio: { ledGreen?: number; ledRed?: number; buzzer?: number };
}
