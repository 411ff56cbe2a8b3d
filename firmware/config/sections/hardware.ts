/** `hardware`: which drivers the composition root wires in. `sim` needs no hardware at all. */
export const hardwareSection = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    mode: { enum: ['sim', 'real'], default: 'sim' },
    sim: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        vpcd: {
          type: 'string',
          pattern: '^[^:]+:\\d{1,5}$',
          description:
            'simulator only: the virtual card goes into pcscd through vsmartcard-vpcd at HOST:PORT and is read over PC/SC (the production card path); default: in-process',
        },
      },
    },
    cardReader: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        name: { type: 'string', description: 'substring of the PC/SC reader name to use; default: the first reader' },
        preferContactless: { type: 'boolean', default: false },
      },
    },
    camera: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        source: {
          enum: ['v4l2', 'libcamera'],
          default: 'v4l2',
          description: 'v4l2: a UVC camera on `device`; libcamera: a Pi camera module through rpicam-vid',
        },
        libcameraIndex: {
          type: 'integer',
          minimum: 0,
          maximum: 15,
          default: 0,
          description: 'libcamera only: the camera in `rpicam-vid --list-cameras`',
        },
        device: { type: 'string', default: '/dev/video0' },
        width: { type: 'integer', minimum: 160, maximum: 3840, default: 640 },
        height: { type: 'integer', minimum: 120, maximum: 2160, default: 480 },
        fps: { type: 'integer', minimum: 1, maximum: 120, default: 30 },
      },
    },
    cardFront: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'camera over the card tray for the OCR of 照合番号B; no device → the face path offers PIN or staff help',
      properties: {
        device: { type: 'string', description: 'V4L2 device, e.g. /dev/video1' },
        inputFormat: { enum: ['mjpeg', 'yuyv422'], default: 'mjpeg' },
        width: { type: 'integer', minimum: 320, maximum: 4096, default: 1280 },
        height: { type: 'integer', minimum: 240, maximum: 4096, default: 960 },
      },
    },
    display: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        device: { type: 'string', default: '/dev/fb0' },
        rotate: { enum: [0, 90, 180, 270], default: 0 },
        width: { type: 'integer', minimum: 320, maximum: 4096, default: 1024, description: 'simulator only' },
        height: { type: 'integer', minimum: 240, maximum: 4096, default: 600, description: 'simulator only' },
      },
    },
    touch: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { device: { type: 'string', description: 'evdev path; default: the first touchscreen found' } },
    },
    keypad: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        vendorId: { type: 'integer', minimum: 0, maximum: 65535 },
        productId: { type: 'integer', minimum: 0, maximum: 65535 },
      },
    },
    gpio: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'status LEDs and buzzer: the kernel LED class, the GPIO character device (libgpiod), or rpio (Pi 1-4); docs/raspberry-pi.md',
      properties: {
        driver: {
          enum: ['auto', 'led-class', 'gpiod', 'rpio', 'none'],
          default: 'auto',
          description: 'auto: led-class when the LEDs exist, else gpiod, else rpio on a Pi 1-4',
        },
        ledGreen: {
          type: 'integer',
          minimum: 1,
          maximum: 40,
          description: 'physical header pin (gpiod uses its GPIO line name, rpio the pin)',
        },
        ledRed: { type: 'integer', minimum: 1, maximum: 40 },
        buzzer: { type: 'integer', minimum: 1, maximum: 40 },
        leds: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'LED class names (/sys/class/leds), as the gpio-led overlays label them',
          properties: {
            green: { type: 'string', minLength: 1, default: 'kaoreader-green' },
            red: { type: 'string', minLength: 1, default: 'kaoreader-red' },
            buzzer: { type: 'string', minLength: 1, default: 'kaoreader-buzzer' },
          },
        },
      },
    },
  },
} as const;

export interface HardwareConfig {
  mode: 'sim' | 'real';
  sim: { vpcd?: string };
  cardReader: { name?: string; preferContactless: boolean };
  camera: CameraConfig;
  cardFront: { device?: string; inputFormat: 'mjpeg' | 'yuyv422'; width: number; height: number };
  display: { device: string; rotate: 0 | 90 | 180 | 270; width: number; height: number };
  touch: { device?: string };
  keypad: { vendorId?: number; productId?: number };
  gpio: GpioConfig;
}

export type GpioDriver = 'led-class' | 'gpiod' | 'rpio' | 'none';

export interface GpioConfig {
  driver: 'auto' | GpioDriver;
  ledGreen?: number;
  ledRed?: number;
  buzzer?: number;
  leds: { green: string; red: string; buzzer: string };
}

export interface CameraConfig {
  source: 'v4l2' | 'libcamera';
  libcameraIndex: number;
  device: string;
  width: number;
  height: number;
  fps: number;
}
