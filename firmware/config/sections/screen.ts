/**
 * `screen`: the patient-facing screen and its inputs beyond the device paths in `hardware`:
 * accessibility defaults, voice guidance, framebuffer pixel layout override, touch calibration
 * (raw axis ranges, axis swap/inversion as the panel is wired) and debounce.
 */
export const screenSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    largeText: { type: 'boolean', default: false },
    highContrast: { type: 'boolean', default: false },
    voice: { type: 'boolean', default: false, description: 'speak each screen with espeak-ng' },
    voicePlayer: { type: 'array', items: { type: 'string' }, minItems: 1, default: ['aplay', '-q', '-'] },
    framebufferFormat: { enum: ['RGB565', 'XRGB8888', 'RGB888', 'XBGR8888'], description: 'default: from bits_per_pixel' },
    touch: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        minX: { type: 'integer', default: 0 },
        maxX: { type: 'integer', minimum: 1, default: 4095 },
        minY: { type: 'integer', default: 0 },
        maxY: { type: 'integer', minimum: 1, default: 4095 },
        swapXY: { type: 'boolean', default: false },
        invertX: { type: 'boolean', default: false },
        invertY: { type: 'boolean', default: false },
        minPressMs: { type: 'integer', minimum: 0, maximum: 1000, default: 15 },
        minIntervalMs: { type: 'integer', minimum: 0, maximum: 5000, default: 250 },
      },
    },
  },
} as const;

export interface ScreenConfig {
  largeText: boolean;
  highContrast: boolean;
  voice: boolean;
  voicePlayer: string[];
  framebufferFormat?: 'RGB565' | 'XRGB8888' | 'RGB888' | 'XBGR8888';
  touch: {
    minX: number;
    maxX: number;
    minY: number;
    maxY: number;
    swapXY: boolean;
    invertX: boolean;
    invertY: boolean;
    minPressMs: number;
    minIntervalMs: number;
  };
}
