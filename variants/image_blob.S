/* SPDX-License-Identifier: GPL-2.0 */
/* The flat code image, embedded read-only; variants/image.c maps a copy. */
	.section .rodata.tb_image_blob, "a"
	.balign 16
	.globl tb_image_blob_start, tb_image_blob_end
tb_image_blob_start:
	.incbin TB_IMAGE_BIN
tb_image_blob_end:
	.section .note.GNU-stack, "", %progbits
