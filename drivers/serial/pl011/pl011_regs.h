/* ARM PrimeCell UART (PL011) registers and bits the driver uses (PL011 TRM, DDI 0183). */
#ifndef PL011_REGS_H
#define PL011_REGS_H

#define PL011_DR         0x00u /* data; on read bits 8-11 are the character's errors */
#define PL011_ECR        0x04u /* RSR on read, ECR (any write clears the errors) on write */
#define PL011_FR         0x18u
#define PL011_IBRD       0x24u
#define PL011_FBRD       0x28u
#define PL011_LCRH       0x2cu
#define PL011_CR         0x30u
#define PL011_IFLS       0x34u
#define PL011_IMSC       0x38u
#define PL011_RIS        0x3cu
#define PL011_ICR        0x44u
#define PL011_FRAME_SIZE 0x48u /* through ICR */

#define PL011_DR_FE   (1u << 8)
#define PL011_DR_PE   (1u << 9)
#define PL011_DR_BE   (1u << 10)
#define PL011_DR_OE   (1u << 11)
#define PL011_DR_ERRS (PL011_DR_FE | PL011_DR_PE | PL011_DR_BE | PL011_DR_OE)

#define PL011_FR_BUSY (1u << 3)
#define PL011_FR_RXFE (1u << 4)
#define PL011_FR_TXFF (1u << 5)
#define PL011_FR_TXFE (1u << 7)

#define PL011_LCRH_FEN   (1u << 4)
#define PL011_LCRH_WLEN8 (3u << 5) /* no parity (PEN 0), one stop bit (STP2 0) */

#define PL011_CR_UARTEN (1u << 0)
#define PL011_CR_TXE    (1u << 8)
#define PL011_CR_RXE    (1u << 9)

/* IFLS: RX interrupt at 1/2 full (RXIFLSEL 2), TX interrupt at 1/4 full or less (TXIFLSEL 1). */
#define PL011_IFLS_RX_HALF    (2u << 3)
#define PL011_IFLS_TX_QUARTER (1u << 0)

/* IMSC, RIS and ICR bits */
#define PL011_INT_RX  (1u << 4)
#define PL011_INT_TX  (1u << 5)
#define PL011_INT_RT  (1u << 6)
#define PL011_INT_FE  (1u << 7)
#define PL011_INT_PE  (1u << 8)
#define PL011_INT_BE  (1u << 9)
#define PL011_INT_OE  (1u << 10)
#define PL011_INT_ALL 0x7ffu

/* The smallest FIFO a PL011 has (r1p5 has 32 entries, earlier revisions 16). */
#define PL011_FIFO_DEPTH 16u

#endif
