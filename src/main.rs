fn main() {
    println!("kwire");
}
