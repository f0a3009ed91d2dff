import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "@/components/providers";
import { Toaster } from "@/components/toast";

export const metadata: Metadata = { title: { default: "Ringflow", template: "%s · Ringflow" }, description: "WhatsApp voice calling for businesses" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
        <Toaster />
      </body>
    </html>
  );
}
