/**
 * The Raspberry Pi 40-pin header (the same on every model since the 1 B+): physical pin →
 * BCM GPIO number, so one config (`hardware.gpio.ledGreen: 11`) names the same pin for rpio
 * (physical numbering), gpiod (line `GPIO17`) and the LED-class overlay (`gpio=17`).
 */
const BCM: Readonly<Record<number, number>> = {
  3: 2,
  5: 3,
  7: 4,
  8: 14,
  10: 15,
  11: 17,
  12: 18,
  13: 27,
  15: 22,
  16: 23,
  18: 24,
  19: 10,
  21: 9,
  22: 25,
  23: 11,
  24: 8,
  26: 7,
  27: 0,
  28: 1,
  29: 5,
  31: 6,
  32: 12,
  33: 13,
  35: 19,
  36: 16,
  37: 26,
  38: 20,
  40: 21,
};

/** The BCM GPIO number of a header pin, or undefined for power and ground pins. */
export function bcmOfPin(pin: number): number | undefined {
  return BCM[pin];
}
