/* The i.MX UART (i.MX8MQ/MM/MP reference manuals, "UART") registers and bits the driver uses. */
#ifndef IMX_UART_REGS_H
#define IMX_UART_REGS_H

#define IMX_URXD       0x00u
#define IMX_UTXD       0x40u
#define IMX_UCR1       0x80u
#define IMX_UCR2       0x84u
#define IMX_UCR3       0x88u
#define IMX_UCR4       0x8cu
#define IMX_UFCR       0x90u
#define IMX_USR1       0x94u
#define IMX_USR2       0x98u
#define IMX_UBIR       0xa4u
#define IMX_UBMR       0xa8u
#define IMX_ONEMS      0xb0u
#define IMX_UTS        0xb4u
#define IMX_FRAME_SIZE 0xb8u /* through UTS */

/* URXD: the character and its status */
#define IMX_URXD_PRERR   (1u << 10)
#define IMX_URXD_BRK     (1u << 11)
#define IMX_URXD_FRMERR  (1u << 12)
#define IMX_URXD_OVRRUN  (1u << 13) /* stored in the FIFO's last place: a warning, the data is good */
#define IMX_URXD_ERR     (1u << 14)
#define IMX_URXD_CHARRDY (1u << 15) /* 0: the FIFO was empty, the read is not a character */

#define IMX_UCR1_UARTEN (1u << 0)
#define IMX_UCR1_RRDYEN (1u << 9)  /* RX FIFO at or above RXTL */
#define IMX_UCR1_TRDYEN (1u << 13) /* TX FIFO below TXTL */

#define IMX_UCR2_SRST (1u << 0) /* 0 = reset; every write keeps it 1 */
#define IMX_UCR2_RXEN (1u << 1)
#define IMX_UCR2_TXEN (1u << 2)
#define IMX_UCR2_ATEN (1u << 3)  /* aging timer interrupt: RX FIFO not empty and idle 8 characters */
#define IMX_UCR2_WS   (1u << 5)  /* 8 data bits; PREN 0 (no parity), STPB 0 (one stop bit) */
#define IMX_UCR2_IRTS (1u << 14) /* ignore the RTS pin */

#define IMX_UCR3_RXDMUXSEL (1u << 2) /* must be 1 on i.MX6 and later */
#define IMX_UCR3_RESET     0x700u    /* DSR, DCD, RI outputs as after reset */

#define IMX_UCR4_CTSTL_32 (32u << 10) /* the reset value; no UCR4 interrupts */

#define IMX_UFCR_RXTL_SHIFT  0
#define IMX_UFCR_RFDIV_SHIFT 7
#define IMX_UFCR_TXTL_SHIFT  10
#define IMX_UFCR_RFDIV_MASK  (7u << IMX_UFCR_RFDIV_SHIFT)

#define IMX_USR1_AGTIM     (1u << 8)
#define IMX_USR1_RRDY      (1u << 9)
#define IMX_USR1_FRAMERR   (1u << 10)
#define IMX_USR1_TRDY      (1u << 13)
#define IMX_USR1_PARITYERR (1u << 15)

#define IMX_USR2_RDR  (1u << 0) /* at least one character in the RX FIFO */
#define IMX_USR2_ORE  (1u << 1) /* a 33rd character arrived at a full FIFO and was lost */
#define IMX_USR2_BRCD (1u << 2)
#define IMX_USR2_TXDC (1u << 3) /* transmitter complete: FIFO and shift register empty */
#define IMX_USR2_TXFE (1u << 14)

#define IMX_UTS_SOFTRST (1u << 0)
#define IMX_UTS_TXFULL  (1u << 4)

#define IMX_FIFO_DEPTH 32u
/* RRDY from the first character: a typed key is delivered at once, not after the aging timer
 * (8 character times; under QEMU ~0.7 ms). A paste still moves what the FIFO holds per interrupt,
 * since the driver drains it whole. */
#define IMX_RXTL 1u
#define IMX_TXTL 8u /* TRDY below 8: at least 24 places free */

#endif
