// SPDX-License-Identifier: GPL-2.0
/*
 * The code image's home in a module: the image is the module's own
 * code and data (the generated assembly, linked in), so what the update
 * methods write through (variants/image.h) is the kernel's.  A literal
 * in the module's data is one 64-bit store, as the kernel's own
 * static_call_update() makes it.  Module text is read-only once loaded
 * and a module may write kernel text by no means but the kernel's own
 * patching, which serves only the kernel's static calls: any text write
 * is refused (the front end never asks: it skips those rows first).
 */
#include <linux/bug.h>
#include <linux/module.h>

#include "image.h"
#include "kimage.h"

/* variants/x86/text_poke.h, declared here for both architectures */
int tb_text_poke_init(void);
void tb_text_poke_bp(struct tb_image *img, void *addr, const uint8_t *insn,
		     size_t len);

static struct tb_image kimage;

struct tb_image *tb_kimage(void)
{
	kimage.hdr = &tb_image_header;
	return &kimage;
}

bool tb_kimage_in_text(const void *addr)
{
	/* text, then rodata, then what turns read-only after init */
	const struct module_layout *l = &THIS_MODULE->core_layout;
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)l->base;

	return a >= base && a < base + l->ro_after_init_size;
}

void tb_image_write_u64(struct tb_image *img, void *addr, uint64_t val)
{
	(void)img;
	if (WARN_ONCE(tb_kimage_in_text(addr),
		      "trampbench: refused a literal write into module text\n"))
		return;
	WRITE_ONCE(*(u64 *)addr, val);
}

void tb_image_write_text(struct tb_image *img, void *addr, const void *src,
			 size_t len)
{
	(void)img;
	(void)src;
	WARN_ONCE(1, "trampbench: refused a write of %zu bytes of text at %px\n",
		  len, addr);
}

void tb_image_sync_text(void *addr, size_t len)
{
	(void)addr;
	(void)len;
}

/* x86's int3 protocol is user space's; here a text write, so refused. */
int tb_text_poke_init(void)
{
	return 0;
}

void tb_text_poke_bp(struct tb_image *img, void *addr, const uint8_t *insn,
		     size_t len)
{
	(void)insn;
	tb_image_write_text(img, addr, NULL, len);
}
