/** Random-access bytes the reader pulls from: a file descriptor, or memory in tests. */
export interface ByteSource {
  readonly size: number;
  /** Like fs.readSync: copies up to `length` bytes at `position` into `into[offset..]`, returns the count. */
  read(into: Uint8Array, offset: number, length: number, position: number): number;
}
